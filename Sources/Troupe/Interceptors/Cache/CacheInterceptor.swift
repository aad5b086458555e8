/// Returns a node's earlier result for an identical call instead of running it again, from a
/// ``CacheBackend``, for `ttl` at most; identical calls in flight at once run the node once.
///
/// Only successes are cached. When the one running call fails, every call waiting on it fails
/// with the same error and nothing is kept, so the next call runs the node again; when it is
/// cancelled, the waiters start over and one of them runs the node. The key is a SHA-256 of the
/// call's canonical JSON (see ``CacheKey``), so an output depends on nothing else: a node that
/// reads the clock, the network or the metadata should key by what it really depends on, or not be cached.
public struct CacheInterceptor: NodeInterceptor {
    /// How long a result is kept; `nil` keeps it until the backend evicts it.
    public let ttl: Duration?
    /// What results are keyed by.
    public let key: CacheKey
    /// Where results are kept.
    public let backend: any CacheBackend
    private let flights = SingleFlight()

    /// Creates a cache over `backend`.
    public init(backend: any CacheBackend, ttl: Duration? = nil, key: CacheKey = .call) {
        self.backend = backend
        self.ttl = ttl
        self.key = key
    }

    /// How many identical calls wait for the one running under `digest`.
    func waiting(digest: String) -> Int { flights.waiting(key: digest) }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        let digest = key.digest(of: call)
        var ran = false
        do {
            let (value, source) = try await flights.value(
                forKey: digest,
                lookUp: { await backend.result(forKey: digest) },
                work: {
                    ran = true
                    context.note(Self.note("miss", "not cached; the node runs", digest: digest))
                    return try await next.handle(call, context: context)
                },
                keep: { await backend.store($0, forKey: digest, timeToLive: ttl) })
            switch source {
            case .stored: context.note(Self.note("hit", "cached result", digest: digest))
            case .shared: context.note(Self.note("hit", "result of an identical call in flight", digest: digest, shared: true))
            case .computed: break
            }
            return value
        } catch  where !ran && !(error is CancellationError) {
            // The identical call in flight failed, and this one with it.
            context.note(Self.note("shared-failure", "an identical call in flight failed: \(error)", digest: digest, shared: true))
            throw error
        }
    }

    private static func note(_ event: String, _ message: String, digest: String, shared: Bool = false) -> InterceptorNote {
        var details: [String: JSONValue] = ["key": .string(digest)]
        if shared { details["shared"] = true }
        return InterceptorNote(interceptor: "cache", event: event, message: message, details: details)
    }
}
