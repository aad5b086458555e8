/// The trace context of each instance from when it is made until its final event, so that tracers
/// find it at the instance's start. It observes events itself to forget ended instances, and is
/// attached before the first tracer.
final class TraceContexts: WorkflowEventObserver {
    private let contexts = LockedValue<[InstanceID: (context: TraceContext, parent: TraceContext?)]>([:])

    /// The metadata an instance starts with: its `traceparent` replaced by the instance's own span,
    /// a child of the one given, or a new trace's root when none (or an invalid one) was given.
    func begin(_ id: InstanceID, metadata: [String: String]) -> [String: String] {
        let parent = metadata["traceparent"].flatMap(TraceContext.init(traceparent:))
        let context = parent?.child("instance \(id)") ?? TraceContext.random()
        contexts.withLock { $0[id] = (context, parent) }
        var metadata = metadata
        metadata["traceparent"] = context.traceparent
        return metadata
    }

    /// The instance's context and its parent's; a new root for one never begun here.
    func context(of id: InstanceID) -> (TraceContext, TraceContext?) {
        contexts.withLock { $0[id] }.map { ($0.context, $0.parent) } ?? (TraceContext.random(), nil)
    }

    func observe(_ event: WorkflowEvent) {
        guard event.kind.isFinal else { return }
        contexts.withLock { _ = $0.removeValue(forKey: event.instanceID) }
    }
}
