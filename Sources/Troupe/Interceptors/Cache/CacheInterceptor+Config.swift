extension CacheInterceptor {
    /// Reads the `cache` config `{"ttl", "maxEntries", "key", "backend"}`. Backend `"memory"` (the
    /// default) is a ``MemoryCacheBackend`` of its own for each declaration; `"store"` is the
    /// runtime's run store, which must be a ``CacheBackend`` (``SQLiteRunStore`` is) and bounds its
    /// entries itself, so `maxEntries` is refused beside it.
    init(config: JSONValue, clock: any Clock<Duration>, store: (any RunStore)?) throws(WorkflowValidationError) {
        var reader = InterceptorConfigReader(config, allowed: ["ttl", "maxEntries", "key", "backend"])
        let ttl = reader.members["ttl"] == nil ? nil : reader.seconds("ttl")
        let maxEntries = reader.integer("maxEntries", in: 1...10_000_000, default: 1000)
        let backendName = reader.choice("backend", of: ["memory", "store"], default: "memory")
        var key = CacheKey.call
        if let value = reader.members["key"] {
            do { key = try CacheKey(json: value) } catch { reader.fail("key", error.message) }
        }
        var backend: any CacheBackend = MemoryCacheBackend(maxEntries: maxEntries, clock: clock)
        if backendName == "store" {
            if let stored = store as? any CacheBackend {
                backend = stored
            } else if let store {
                reader.fail("backend", "\"store\" needs a run store that is a CacheBackend; this runtime's \(type(of: store)) is not")
            } else {
                reader.fail(
                    "backend",
                    "\"store\" needs a runtime with a run store (troupe run without --no-store, troupe stress --store PATH, or WorkflowRuntime(store:))")
            }
            if reader.members["maxEntries"] != nil {
                reader.fail("maxEntries", "applies to the memory backend only; the store bounds its cache itself (SQLiteRunStore maxCacheEntries)")
            }
        }
        try reader.finish()
        self.init(backend: backend, ttl: ttl, key: key)
    }
}
