/// Instances per second of one workflow shape at one instance count, through Troupe and through the baseline.
struct ThroughputResult: Sendable {
    /// The shape's name, such as `diamond10`.
    let shapeName: String
    /// How many instances each run completed.
    let count: Int
    /// Troupe's best rate, in instances per second.
    let troupe: Double
    /// The baseline's best rate, in instances per second.
    let baseline: Double

    /// Troupe's rate over the baseline's; above 1 Troupe is faster.
    var ratio: Double { troupe / baseline }
}
