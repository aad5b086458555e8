/// Instances per second of one ``ThroughputCase`` at one instance count, through Troupe and through the baseline.
struct ThroughputResult: Sendable {
    /// The case measured.
    let measured: ThroughputCase
    /// How many instances each run completed.
    let count: Int
    /// Troupe's median rate, in instances per second.
    let troupe: Double
    /// The baseline's median rate, in instances per second.
    let baseline: Double
    /// The median rate of the baseline's design by hand with Troupe's records (``RecordingWorkload``), in instances per second.
    let byHand: Double

    /// Troupe's rate over the baseline's; above 1 Troupe is faster.
    var ratio: Double { troupe / baseline }
}
