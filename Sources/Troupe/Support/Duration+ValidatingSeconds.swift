/// Why a number of seconds cannot be a duration: not finite, or beyond the documented maximum.
struct DurationRangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The seconds that were refused.
    let seconds: Double

    var description: String {
        guard seconds.isFinite else { return "must be a finite number of seconds" }
        return seconds < 0
            ? "must be at least -\(Duration.maximumSeconds) seconds"
            : "must be at most \(Duration.maximumSeconds) seconds"
    }
}

extension Duration {
    /// The largest magnitude, in seconds, that a workflow file may give any duration: about 31.7 years.
    /// Far below the 9.2e9 seconds that fit in `Int64` nanoseconds, so that back-off arithmetic on
    /// valid values (up to 100 × an interval, times 2 for jitter) is clamped rather than overflowing.
    static let maximumSeconds = 1_000_000_000

    /// The largest duration a workflow may give, as a `Duration`.
    static let maximumWorkflowDuration = Duration.seconds(maximumSeconds)

    /// Converts seconds, refusing non-finite values and magnitudes above ``maximumSeconds``; the one
    /// conversion every duration read from outside goes through, so no input can trap it.
    init(validatingSeconds seconds: Double) throws(DurationRangeError) {
        guard seconds.isFinite, abs(seconds) <= Double(Self.maximumSeconds) else { throw DurationRangeError(seconds: seconds) }
        self = .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// Converts computed seconds (a back-off), clamped to `0...maximumSeconds`; NaN becomes the maximum
    /// because it only arises from growth that overflowed.
    init(clampingSeconds seconds: Double) {
        guard !seconds.isNaN else {
            self = Self.maximumWorkflowDuration
            return
        }
        self = .nanoseconds(Int64((min(max(seconds, 0), Double(Self.maximumSeconds)) * 1e9).rounded()))
    }

    /// The issue for a duration given in Swift beyond the maximum, or `nil` when it is within it.
    func rangeIssue(at path: String) -> ValidationIssue? {
        guard self > Self.maximumWorkflowDuration || self < .zero - Self.maximumWorkflowDuration else { return nil }
        return ValidationIssue(path: path, message: DurationRangeError(seconds: seconds).description)
    }
}
