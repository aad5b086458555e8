/// Something the per-node-call benchmarks time: one instance of a workflow shape run to its end.
protocol MeasuredWorkload: Sendable {
    /// The shape each instance runs.
    var shape: WorkflowShape { get }

    /// Runs one instance in the calling task and returns its exit node's output, or `nil` when it has none.
    func run(input: Int) async -> Int?
}
