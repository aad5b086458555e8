/// One of the performance targets and whether this run met it.
struct TargetCheck: Sendable {
    /// What is required, such as "diamond10 ×100,000: troupe/baseline ≥ 1.0".
    let requirement: String
    /// The value this run measured, as text.
    let measured: String
    /// Whether the measured value meets the requirement.
    let passed: Bool

    /// The check as one line of the report.
    var line: String { "\(passed ? "PASS" : "MISS")  \(requirement)  (measured: \(measured))" }
}
