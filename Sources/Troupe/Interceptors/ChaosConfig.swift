/// What the `chaos` interceptor injects, read from its JSON config:
/// `{"seed": 7, "failureRate": 0.1, "retryable": true, "latency": {"uniform": [0.001, 0.01]}, "hangRate": 0.01}`.
///
/// Every field is optional; an absent config injects nothing. `latency` is exactly one of
/// `{"fixed": seconds}`, `{"uniform": [low, high]}` or `{"exponential": mean}`.
public struct ChaosConfig: Sendable, Hashable {
    /// Mixed into every draw, so two chaos interceptors with different seeds fail different calls.
    public var seed: UInt64
    /// The share of calls, `0...1`, whose output is replaced by a failure.
    public var failureRate: Double
    /// Whether injected failures are `ChaosFailure` (retryable) or `ChaosFatal`, which a retry
    /// policy stops at when it lists it in `nonRetryableErrorTypes`.
    public var retryable: Bool
    /// The delay added before every call, if any.
    public var latency: ChaosLatency?
    /// The share of calls, `0...1`, that hang until cancelled: only a timeout, a deadline or a cancel ends them.
    public var hangRate: Double

    /// Creates a config; the defaults inject nothing.
    public init(seed: UInt64 = 0, failureRate: Double = 0, retryable: Bool = true, latency: ChaosLatency? = nil, hangRate: Double = 0) {
        self.seed = seed
        self.failureRate = failureRate
        self.retryable = retryable
        self.latency = latency
        self.hangRate = hangRate
    }

    /// Reads the interceptor's config, reporting every problem at once with its place (`config.failureRate: …`).
    public init(interceptorConfig config: JSONValue) throws(WorkflowValidationError) {
        var reader = ChaosConfigReader()
        self = reader.read(config)
        guard reader.issues.isEmpty else { throw WorkflowValidationError(issues: reader.issues) }
    }
}
