/// Something the runtime tells each event as it is published, synchronously: the metrics and
/// trace recorders, which must not miss one and must have seen an instance's final event when its
/// result is ready.
///
/// It is called under the instance's event lock: it must be quick, and must not start or control instances.
protocol WorkflowEventObserver: Sendable {
    func observe(_ event: WorkflowEvent)
}
