/// The factories of the built-in interceptors beyond `retry` and `timeout`, by the name a workflow file uses.
enum BuiltInInterceptorFactories {
    /// Each name's factory; waits and windows use `clock`.
    static func factories(clock: any Clock<Duration>) -> [(name: String, factory: Registry.InterceptorFactory)] {
        [
            ("rate-limit", { try RateLimitInterceptor(config: $0, clock: clock) }),
            ("concurrency-limit", { try ConcurrencyLimitInterceptor(config: $0) }),
            ("circuit-breaker", { try CircuitBreakerInterceptor(config: $0, clock: clock) }),
            ("cache", { try CacheInterceptor(config: $0, clock: clock) }),
        ]
    }
}
