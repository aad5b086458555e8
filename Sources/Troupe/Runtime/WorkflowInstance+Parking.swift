extension WorkflowInstance {
    /// Where an instance is with parking at a `wait` or `sleep` node. A parked node has no actor: `since` is
    /// when its wait began, all its actor would hold, and its actor is made again when the wait ends.
    enum Parking {
        case none
        /// It parked at node `index` and its task is leaving its frames. The task that the wait's end
        /// started waits here for it to have left (`handOver`), and then goes on with the instance: the
        /// parking task never does, since the instance's control no longer keeps it for a cancel to reach.
        case leaving(Int, since: ContinuousClock.Instant, handOver: CheckedContinuation<Void, Never>?)
        /// It waits at node `index` with no task.
        case parked(Int, since: ContinuousClock.Instant)

        /// Whether no node is parked or parking.
        var isNone: Bool {
            if case .none = self { return true }
            return false
        }

        /// When the wait of the node at `index` began, if it is the node parked.
        func since(ofNode index: Int) -> ContinuousClock.Instant? {
            switch self {
            case .leaving(index, let since, _), .parked(index, let since): since
            default: nil
            }
        }
    }
}
