/// A bulkhead: at most `limit` calls per key run at once; the rest wait their turn in arrival
/// order or fail with `ConcurrencyLimitExceeded`, as `mode` says.
///
/// One value's state is shared by every instance and node that uses it: each
/// `concurrency-limit` declared in a workflow file is its own bulkhead for all instances of that workflow.
public struct ConcurrencyLimitInterceptor: NodeInterceptor {
    /// Calls per key running at once.
    public var limit: Int { bulkhead.limit }
    /// Which calls share a limit.
    public let key: CallKey
    /// Whether a call over the limit waits or fails.
    public let mode: LimitMode
    private let bulkhead: Bulkhead

    /// Creates a bulkhead (a `limit` below 1 counts as 1).
    public init(limit: Int, key: CallKey = .global, mode: LimitMode = .wait) {
        self.key = key
        self.mode = mode
        bulkhead = Bulkhead(limit: max(1, limit))
    }

    /// A reject-mode bulkhead awaits nothing but the rest of the chain.
    public var neverSuspends: Bool { mode == .reject }

    /// How many calls wait in line under the key value `key`.
    func waiting(key: String = "") -> Int { bulkhead.waiting(key: key) }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        let value = key.value(for: call)
        switch mode {
        case .wait:
            if try await bulkhead.acquire(key: value) {
                context.note(
                    InterceptorNote(
                        interceptor: "concurrency-limit", event: "waited",
                        message: "waited for one of \(limit) calls to end (key \(key.description) = \(value.debugDescription))",
                        details: ["key": .string(value)]))
            }
        case .reject:
            guard bulkhead.tryAcquire(key: value) else {
                let error = ExecutionError(
                    type: "ConcurrencyLimitExceeded",
                    message: "\(limit) calls already running (key \(key.description) = \(value.debugDescription))",
                    details: ["key": .string(value), "limit": .integer(limit)])
                context.note(
                    InterceptorNote(interceptor: "concurrency-limit", event: "rejected", message: error.message, details: error.details.objectValue ?? [:]))
                throw error
            }
        }
        defer { bulkhead.release(key: value) }
        return try await next.handle(call, context: context)
    }
}
