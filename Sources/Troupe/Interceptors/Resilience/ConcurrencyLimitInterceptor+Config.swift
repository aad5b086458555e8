extension ConcurrencyLimitInterceptor {
    /// Reads the `concurrency-limit` config `{"limit", "key", "mode"}`.
    init(config: JSONValue) throws(WorkflowValidationError) {
        var reader = InterceptorConfigReader(config, allowed: ["limit", "key", "mode"])
        let limit = reader.integer("limit", in: 1...1_000_000_000)
        let key = reader.key(default: .global)
        let mode = LimitMode(rawValue: reader.choice("mode", of: ["wait", "reject"], default: "wait")) ?? .wait
        try reader.finish()
        self.init(limit: limit, key: key, mode: mode)
    }
}
