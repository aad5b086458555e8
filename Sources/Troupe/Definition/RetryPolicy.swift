import Foundation

/// How a failed node attempt is retried, with Temporal's field names and meanings.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, including the first; `0` means no limit.
    public var maximumAttempts: Int
    /// The wait before the first retry.
    public var initialInterval: Duration
    /// Each wait is the previous one times this (at least 1).
    public var backoffCoefficient: Double
    /// The longest wait; `nil` means 100 × `initialInterval`.
    public var maximumInterval: Duration?
    /// A fraction (0...1) of each wait added or taken at random, so retries spread out.
    public var jitter: Double
    /// Error type names (see `errorTypeName(of:)`) that are never retried; a list given replaces
    /// ``defaultNonRetryableErrorTypes``.
    public var nonRetryableErrorTypes: [String]

    /// The errors not retried unless a policy lists its own: `CircuitOpen`, because a breaker
    /// refuses calls for its whole open time and retrying into it only spends attempts.
    public static let defaultNonRetryableErrorTypes = ["CircuitOpen"]

    /// Creates a policy; the defaults are Temporal's, but for a limit of 3 attempts, no jitter and
    /// ``defaultNonRetryableErrorTypes``.
    public init(
        maximumAttempts: Int = 3, initialInterval: Duration = .seconds(1), backoffCoefficient: Double = 2,
        maximumInterval: Duration? = nil, jitter: Double = 0, nonRetryableErrorTypes: [String] = defaultNonRetryableErrorTypes
    ) {
        self.maximumAttempts = maximumAttempts
        self.initialInterval = initialInterval
        self.backoffCoefficient = backoffCoefficient
        self.maximumInterval = maximumInterval
        self.jitter = jitter
        self.nonRetryableErrorTypes = nonRetryableErrorTypes
    }

    /// The wait after failed attempt `attempt` (from 1) before jitter.
    /// Computed in seconds and clamped, so that no policy (validated or not) and no attempt number overflows.
    public func interval(afterAttempt attempt: Int) -> Duration {
        let initial = initialInterval.seconds
        let cap = maximumInterval?.seconds ?? initial * 100
        // A zero interval stays zero: 0 × an overflowed growth would be NaN.
        let grown = initial == 0 ? 0 : initial * pow(backoffCoefficient, Double(max(0, attempt - 1)))
        return Duration(clampingSeconds: grown.isNaN ? cap : min(grown, cap))
    }
}
