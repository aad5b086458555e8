/// Cancels the rest of the chain when it runs past a limit and throws ``NodeTimeoutError``.
public struct TimeoutInterceptor: NodeInterceptor {
    /// The limit on one pass through the rest of the chain.
    public let timeout: Duration
    private let clock: any Clock<Duration>

    /// Creates the interceptor; the limit is measured on `clock`, so tests can use a virtual one.
    public init(timeout: Duration, clock: any Clock<Duration> = ContinuousClock()) {
        self.timeout = timeout
        self.clock = clock
    }

    private enum Race: Sendable {
        case finished(JSONValue)
        case expired
    }

    public func intercept(_ call: NodeCall, next: any NodeHandler) async throws -> JSONValue {
        try await withThrowingTaskGroup(of: Race.self) { group in
            group.addTask { .finished(try await next.handle(call)) }
            group.addTask { [clock, timeout] in
                try await clock.sleep(for: timeout)
                return .expired
            }
            defer { group.cancelAll() }
            switch try await group.next()! {
            case .finished(let output): return output
            case .expired: throw NodeTimeoutError(nodeID: call.nodeID, timeout: timeout)
            }
        }
    }
}
