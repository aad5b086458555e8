/// Wraps one interceptor of a chain and reports each call's entry and exit; it suspends exactly
/// when the interceptor it wraps does, so it changes no node's inline decision.
struct ReportingInterceptor: NodeInterceptor {
    let inner: any NodeInterceptor
    let name: String
    let position: Int
    let chainLength: Int
    let report: @Sendable (InterceptorCrossing) -> Void

    var neverSuspends: Bool { inner.neverSuspends }

    func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        func crossing(_ direction: InterceptorCrossing.Direction, error: String? = nil, duration: Duration? = nil) -> InterceptorCrossing {
            InterceptorCrossing(
                instanceID: call.instanceID, nodeID: call.nodeID, attempt: call.attempt, interceptor: name, position: position, chainLength: chainLength,
                direction: direction, error: error, duration: duration)
        }
        report(crossing(.entry))
        let start = ContinuousClock.now
        do {
            let output = try await inner.intercept(call, context: context, next: next)
            report(crossing(.exit, duration: .now - start))
            return output
        } catch {
            report(crossing(.exit, error: "\(error)", duration: .now - start))
            throw error
        }
    }

    /// The name a chain shows for `interceptor`: the built-ins' registered names, else its type's name.
    static func name(of interceptor: any NodeInterceptor) -> String {
        switch interceptor {
        case is RetryInterceptor: return "retry"
        case is TimeoutInterceptor: return "timeout"
        case is CacheInterceptor: return "cache"
        case is RateLimitInterceptor: return "rate-limit"
        case is ConcurrencyLimitInterceptor: return "concurrency-limit"
        case is CircuitBreakerInterceptor: return "circuit-breaker"
        case is ValidateInterceptor: return "validate"
        case is ChaosInterceptor: return "chaos"
        default: return String(describing: type(of: interceptor))
        }
    }
}
