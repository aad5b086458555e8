extension WorkflowInstance {
    /// Where an instance is with parking at a `wait` node.
    enum Parking {
        case none
        /// It parked at node `index` and its task is leaving its frames; a signal that comes meanwhile is kept here.
        case leaving(Int, received: Result<JSONValue, any Error>?)
        /// It waits at node `index` with no task.
        case parked(Int)
    }
}
