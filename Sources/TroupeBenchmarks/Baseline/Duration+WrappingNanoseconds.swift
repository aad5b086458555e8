extension Duration {
    /// Whole nanoseconds, wrapping past 292 years, which no benchmark reaches.
    var wrappingNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
