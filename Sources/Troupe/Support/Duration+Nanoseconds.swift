extension Duration {
    /// Exactly this many whole nanoseconds; `nil` when it has a finer part or does not fit 64 bits.
    var exactNanoseconds: Int64? {
        let (seconds, attoseconds) = components
        guard attoseconds % 1_000_000_000 == 0 else { return nil }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, carry) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow || carry ? nil : sum
    }

    /// Whole nanoseconds, the finer part dropped; wraps beyond 64 bits (about 292 years), so only
    /// for what cannot be that long: the time between two instants of one process, a node's run.
    var truncatedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
