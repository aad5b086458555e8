import Troupe

/// Percentiles of a set of durations, by nearest rank.
public struct LatencySummary: Sendable, Hashable {
    /// How many durations there were.
    public var count: Int
    /// The median.
    public var p50: Duration
    /// The 90th percentile.
    public var p90: Duration
    /// The 99th percentile.
    public var p99: Duration
    /// The longest.
    public var max: Duration

    /// Summarises `durations`; all zero when there are none.
    public init(_ durations: [Duration]) {
        let sorted = durations.sorted()
        func rank(_ percent: Int) -> Duration {
            guard !sorted.isEmpty else { return .zero }
            // Nearest rank: the smallest value with at least `percent`% of the values at or below it.
            let index = (percent * sorted.count + 99) / 100 - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
        }
        count = sorted.count
        p50 = rank(50)
        p90 = rank(90)
        p99 = rank(99)
        max = sorted.last ?? .zero
    }
}
