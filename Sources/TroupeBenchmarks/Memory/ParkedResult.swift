/// Resident memory per instance parked at a `wait` node and at a `sleep` node, against a bare suspended task.
struct ParkedResult: Sendable {
    /// How many instances were parked at once.
    let instances: Int
    /// Troupe's resident bytes per instance parked at a `wait` node.
    let troupe: Double
    /// Troupe's resident bytes per instance parked at a `sleep` node.
    let sleeping: Double
    /// The baseline's resident bytes per suspended task.
    let baseline: Double
    /// The wall time from the first signal until every instance had completed.
    let signalledAndCompleted: Duration
    /// The wall time from moving the sleepers' clock on until every instance had completed.
    let wokenAndCompleted: Duration
}
