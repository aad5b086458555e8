/// Fails calls fast with `CircuitOpen` while the calls behind it keep failing, as resilience4j's
/// count-based breaker does; see ``CircuitBreakerSettings``.
///
/// Every error but a cancellation counts as a failure. `CircuitOpen` is in
/// ``RetryPolicy/defaultNonRetryableErrorTypes``, so a retry outside the breaker does not spend
/// its attempts on refusals. One value's state is shared by every instance and node that uses
/// it: each `circuit-breaker` declared in a workflow file is its own set of circuits.
public struct CircuitBreakerInterceptor: NodeInterceptor {
    /// When circuits open and recover.
    public var settings: CircuitBreakerSettings { breaker.settings }
    /// Which calls share a circuit.
    public let key: CallKey
    private let breaker: CircuitBreaker

    /// Creates a breaker (counts below 1 count as 1, `minimumCalls` at most `window`); open times are
    /// measured on `clock`, so tests can use a virtual one.
    public init(settings: CircuitBreakerSettings = CircuitBreakerSettings(), key: CallKey = .node, clock: any Clock<Duration> = ContinuousClock()) {
        var settings = settings
        settings.window = max(1, settings.window)
        settings.minimumCalls = min(max(1, settings.minimumCalls), settings.window)
        settings.halfOpenCalls = max(1, settings.halfOpenCalls)
        self.key = key
        breaker = CircuitBreaker(settings: settings, timeline: Timeline(clock))
    }

    /// Refusing or admitting awaits nothing.
    public var neverSuspends: Bool { true }

    /// The position of the circuit for the key value `key`.
    func phase(key: String) -> CircuitBreaker.Phase { breaker.phase(key: key) }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        let permit: CircuitBreaker.Permit
        do {
            permit = try breaker.admit(key: key.value(for: call))
        } catch {
            let refused = circuitOpen(error)
            context.note(
                InterceptorNote(interceptor: "circuit-breaker", event: "refused", message: refused.message, details: refused.details.objectValue ?? [:]))
            throw refused
        }
        if let transition = permit.transition { context.note(note(transition)) }
        do {
            let output = try await next.handle(call, context: context)
            if let transition = breaker.record(permit, failed: false) { context.note(note(transition)) }
            return output
        } catch {
            if let transition = breaker.record(permit, failed: error is CancellationError || Task.isCancelled ? nil : true) {
                context.note(note(transition))
            }
            throw error
        }
    }

    private func note(_ transition: CircuitBreaker.Transition) -> InterceptorNote {
        InterceptorNote(
            interceptor: "circuit-breaker", event: "transition",
            message: "circuit \(transition.from.name) → \(transition.to.name) (key \(key.description) = \(transition.key.debugDescription))",
            details: ["key": .string(transition.key), "from": .string(transition.from.name), "to": .string(transition.to.name)])
    }

    private func circuitOpen(_ refusal: CircuitBreaker.Refusal) -> ExecutionError {
        let place = "key \(key.description) = \(refusal.key.debugDescription)"
        guard let retryAfter = refusal.retryAfter else {
            return ExecutionError(
                type: "CircuitOpen", message: "circuit half-open (\(place)): all \(settings.halfOpenCalls) probe calls are out",
                details: ["key": .string(refusal.key), "state": "half-open"])
        }
        return ExecutionError(
            type: "CircuitOpen", message: "circuit open (\(place)); probes resume in \(retryAfter.seconds) s",
            details: ["key": .string(refusal.key), "state": "open", "retryAfter": .double(retryAfter.seconds)])
    }
}
