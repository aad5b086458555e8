/// When a circuit breaker opens and how it recovers, with resilience4j's count-based meanings and defaults.
public struct CircuitBreakerSettings: Sendable, Hashable {
    /// The percentage (above 0, at most 100) of failed calls at which the circuit opens.
    public var failureRate: Double
    /// How many of the latest calls the failure rate is taken over, while closed.
    public var window: Int
    /// How many calls (at most `window`) must be recorded before the rate counts.
    public var minimumCalls: Int
    /// How long the circuit refuses calls once open, before it lets probes through.
    public var openFor: Duration
    /// How many probe calls run half-open; their failure rate closes or reopens the circuit.
    public var halfOpenCalls: Int

    /// Creates settings; the defaults are resilience4j's.
    public init(failureRate: Double = 50, window: Int = 100, minimumCalls: Int = 100, openFor: Duration = .seconds(60), halfOpenCalls: Int = 10) {
        self.failureRate = failureRate
        self.window = window
        self.minimumCalls = minimumCalls
        self.openFor = openFor
        self.halfOpenCalls = halfOpenCalls
    }
}
