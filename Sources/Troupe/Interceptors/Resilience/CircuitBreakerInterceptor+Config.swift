extension CircuitBreakerInterceptor {
    /// Reads the `circuit-breaker` config `{"failureRate", "window", "minimumCalls", "openFor", "halfOpenCalls", "key"}`.
    init(config: JSONValue, clock: any Clock<Duration>) throws(WorkflowValidationError) {
        var reader = InterceptorConfigReader(config, allowed: ["failureRate", "window", "minimumCalls", "openFor", "halfOpenCalls", "key"])
        let defaults = CircuitBreakerSettings()
        var settings = defaults
        settings.failureRate = reader.number("failureRate", in: 0...100, default: defaults.failureRate)
        if settings.failureRate == 0 { reader.fail("failureRate", "must be above 0 (a percentage)") }
        settings.window = reader.integer("window", in: 1...1_000_000, default: defaults.window)
        // resilience4j's default minimum equals its default window; a smaller window caps it.
        settings.minimumCalls = reader.integer("minimumCalls", in: 1...settings.window, default: min(defaults.minimumCalls, settings.window))
        settings.openFor = reader.seconds("openFor", default: defaults.openFor)
        settings.halfOpenCalls = reader.integer("halfOpenCalls", in: 1...1_000_000, default: defaults.halfOpenCalls)
        let key = reader.key(default: .node)
        try reader.finish()
        self.init(settings: settings, key: key, clock: clock)
    }
}
