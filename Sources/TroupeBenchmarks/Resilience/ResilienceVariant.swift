import Troupe

/// One built-in interceptor on its fast path, as the resilience benchmark calls it.
enum ResilienceVariant: Sendable, CaseIterable {
    /// ``NoOpInterceptor``: the reference the others are compared with.
    case noOp
    /// `cache`, every call a hit.
    case cacheHit
    /// `cache` with `"backend": "store"`, every call a hit read from the SQLite run store.
    case storeCacheHit
    /// `rate-limit` in wait mode, every call admitted at once (a limit no call reaches).
    case rateLimitAdmission
    /// `concurrency-limit` in wait mode, every call admitted at once.
    case concurrencyLimitAdmission
    /// `circuit-breaker`, closed, every call a success.
    case breakerClosed

    /// The row label in the report.
    var label: String {
        switch self {
        case .noOp: return "no-op interceptor"
        case .cacheHit: return "cache, hit"
        case .storeCacheHit: return "cache, hit, store backend"
        case .rateLimitAdmission: return "rate-limit, admitted"
        case .concurrencyLimitAdmission: return "concurrency-limit, admitted"
        case .breakerClosed: return "circuit-breaker, closed"
        }
    }

    /// A fresh interceptor of this variant; the store backend's is `store`.
    func makeInterceptor(store: SQLiteRunStore) -> any NodeInterceptor {
        switch self {
        case .noOp: return NoOpInterceptor()
        case .cacheHit: return CacheInterceptor(backend: MemoryCacheBackend(maxEntries: 16))
        case .storeCacheHit: return CacheInterceptor(backend: store)
        // A short window keeps the admission log small while every call still lands in it.
        case .rateLimitAdmission: return RateLimitInterceptor(limit: 1_000_000_000, window: .milliseconds(10))
        case .concurrencyLimitAdmission: return ConcurrencyLimitInterceptor(limit: 1_000)
        case .breakerClosed: return CircuitBreakerInterceptor()
        }
    }
}
