/// Resident memory per instance parked at a `wait` node, against a bare suspended task.
struct ParkedResult: Sendable {
    /// How many instances were parked at once.
    let instances: Int
    /// Troupe's resident bytes per parked instance.
    let troupe: Double
    /// The baseline's resident bytes per suspended task.
    let baseline: Double
    /// The wall time from the first signal until every instance had completed.
    let signalledAndCompleted: Duration
}
