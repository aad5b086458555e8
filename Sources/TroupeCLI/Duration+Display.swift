extension Duration {
    /// The duration in seconds, for the result JSON.
    var secondsValue: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Milliseconds below a second and seconds above, as people read progress: `12.3 ms`, `1.24 s`.
    var displayText: String {
        let seconds = secondsValue
        if seconds < 1 { return "\((seconds * 10_000).rounded() / 10) ms" }
        return "\((seconds * 100).rounded() / 100) s"
    }
}
