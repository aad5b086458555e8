extension WorkflowInstance {
    /// Where an instance is with parking at a `wait` node. A parked node has no actor: `since` is
    /// when its wait began, all its actor would hold, and its actor is made again when the wait ends.
    enum Parking {
        case none
        /// It parked at node `index` and its task is leaving its frames; a signal that comes meanwhile is kept here.
        case leaving(Int, since: ContinuousClock.Instant, received: Result<JSONValue, any Error>?)
        /// It waits at node `index` with no task.
        case parked(Int, since: ContinuousClock.Instant)

        /// When the wait of the node at `index` began, if it is the node parked.
        func since(ofNode index: Int) -> ContinuousClock.Instant? {
            switch self {
            case .leaving(index, let since, _), .parked(index, let since): since
            default: nil
            }
        }
    }
}
