extension CacheInterceptor {
    /// Reads the `cache` config `{"ttl", "maxEntries", "key", "backend"}`; the only backend by
    /// name is `"memory"`, a ``MemoryCacheBackend`` of its own for each declaration.
    init(config: JSONValue, clock: any Clock<Duration>) throws(WorkflowValidationError) {
        var reader = InterceptorConfigReader(config, allowed: ["ttl", "maxEntries", "key", "backend"])
        let ttl = reader.members["ttl"] == nil ? nil : reader.seconds("ttl")
        let maxEntries = reader.integer("maxEntries", in: 1...10_000_000, default: 1000)
        _ = reader.choice("backend", of: ["memory"], default: "memory")
        var key = CacheKey.call
        if let value = reader.members["key"] {
            do { key = try CacheKey(json: value) } catch { reader.fail("key", error.message) }
        }
        try reader.finish()
        self.init(backend: MemoryCacheBackend(maxEntries: maxEntries, clock: clock), ttl: ttl, key: key)
    }
}
