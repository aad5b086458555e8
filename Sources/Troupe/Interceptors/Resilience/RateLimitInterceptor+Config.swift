extension RateLimitInterceptor {
    /// Reads the `rate-limit` config `{"limit", "window", "key", "mode"}`.
    init(config: JSONValue, clock: any Clock<Duration>) throws(WorkflowValidationError) {
        var reader = InterceptorConfigReader(config, allowed: ["limit", "window", "key", "mode"])
        let limit = reader.integer("limit", in: 1...1_000_000_000)
        let window = reader.seconds("window")
        let key = reader.key(default: .global)
        let mode = LimitMode(rawValue: reader.choice("mode", of: ["wait", "reject"], default: "wait")) ?? .wait
        try reader.finish()
        self.init(limit: limit, window: window, key: key, mode: mode, clock: clock)
    }
}
