extension Duration {
    /// The duration in floating-point seconds.
    var stressSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
