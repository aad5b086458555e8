/// Admits at most `limit` calls per key in any sliding `window`; the rest wait their turn in
/// arrival order or fail with `RateLimitExceeded`, as `mode` says.
///
/// One value's state is shared by every instance and node that uses it: each `rate-limit`
/// declared in a workflow file is its own limiter for all instances of that workflow.
public struct RateLimitInterceptor: NodeInterceptor {
    /// Calls admitted per key in any window.
    public var limit: Int { limiter.limit }
    /// The window's length.
    public var window: Duration { limiter.window }
    /// Which calls share a limit.
    public let key: CallKey
    /// Whether a call over the limit waits or fails.
    public let mode: LimitMode
    private let limiter: SlidingWindowLimiter

    /// Creates a limiter (a `limit` below 1 counts as 1); waits and windows are measured on `clock`,
    /// so tests can use a virtual one.
    public init(limit: Int, window: Duration, key: CallKey = .global, mode: LimitMode = .wait, clock: any Clock<Duration> = ContinuousClock()) {
        self.key = key
        self.mode = mode
        limiter = SlidingWindowLimiter(limit: max(1, limit), window: window, timeline: Timeline(clock))
    }

    /// A reject-mode limiter awaits nothing but the rest of the chain.
    public var neverSuspends: Bool { mode == .reject }

    /// How many calls wait in line under the key value `key`.
    func waiting(key: String = "") -> Int { limiter.waiting(key: key) }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        let value = key.value(for: call)
        switch mode {
        case .wait:
            if let waited = try await limiter.admit(key: value) {
                context.note(
                    InterceptorNote(
                        interceptor: "rate-limit", event: "waited",
                        message: "waited \((waited.seconds * 1000).rounded() / 1000) s for a slot (key \(key.description) = \(value.debugDescription))",
                        details: ["key": .string(value), "waited": .double(waited.seconds)]))
            }
        case .reject:
            if let retryAfter = limiter.tryAdmit(key: value) {
                let error = exceeded(key: value, retryAfter: retryAfter)
                context.note(InterceptorNote(interceptor: "rate-limit", event: "rejected", message: error.message, details: error.details.objectValue ?? [:]))
                throw error
            }
        }
        return try await next.handle(call, context: context)
    }

    private func exceeded(key value: String, retryAfter: Duration) -> ExecutionError {
        let seconds = retryAfter.seconds
        return ExecutionError(
            type: "RateLimitExceeded",
            message: "\(limit) calls per \(window.seconds) s reached (key \(key.description) = \(value.debugDescription)); a slot frees in \(seconds) s",
            details: ["key": .string(value), "limit": .integer(limit), "window": .double(window.seconds), "retryAfter": .double(seconds)])
    }
}
