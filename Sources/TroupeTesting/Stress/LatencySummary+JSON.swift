import Troupe

extension LatencySummary {
    /// The percentiles in seconds.
    var json: JSONValue {
        [
            "count": .integer(count), "p50": .double(p50.stressSeconds), "p90": .double(p90.stressSeconds), "p99": .double(p99.stressSeconds),
            "max": .double(max.stressSeconds),
        ]
    }
}
