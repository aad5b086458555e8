/// The factories of the built-in interceptors beyond `retry` and `timeout`, by the name a workflow file uses.
enum BuiltInInterceptorFactories {
    /// Each name's factory; waits and windows use `clock`, non-strict `validate` warns into `warnings`,
    /// and `cache` with `"backend": "store"` keeps results in `store`.
    static func factories(
        clock: any Clock<Duration>, warnings: ValidationWarningLog, store: (any RunStore)?
    ) -> [(name: String, factory: Registry.InterceptorFactory)] {
        [
            ("rate-limit", { try RateLimitInterceptor(config: $0, clock: clock) }),
            ("concurrency-limit", { try ConcurrencyLimitInterceptor(config: $0) }),
            ("circuit-breaker", { try CircuitBreakerInterceptor(config: $0, clock: clock) }),
            ("cache", { try CacheInterceptor(config: $0, clock: clock, store: store) }),
            ("validate", { try ValidateInterceptor(config: $0, warnings: warnings) }),
        ]
    }
}
