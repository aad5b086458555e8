/// Cancels the rest of the chain when it runs past a limit and throws `NodeTimeoutError`.
///
/// The limit holds even for code that ignores cancellation: at the limit the inner chain is
/// cancelled and no longer awaited, so the node ends on time; code that does not stop keeps
/// running on its own until it returns, and what it returns then is dropped.
public struct TimeoutInterceptor: NodeInterceptor {
    /// The limit on one pass through the rest of the chain.
    public let timeout: Duration
    private let clock: any Clock<Duration>

    /// Creates the interceptor; the limit is measured on `clock`, so tests can use a virtual one.
    public init(timeout: Duration, clock: any Clock<Duration> = ContinuousClock()) {
        self.timeout = timeout
        self.clock = clock
    }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        let race = FirstOutcome<JSONValue>()
        // Unstructured on purpose: a task group would wait for a child that ignores cancellation.
        let work = Task {
            do { race.settle(.success(try await next.handle(call, context: context))) } catch { race.settle(.failure(error)) }
        }
        let timer = Task { [clock, timeout] in
            guard (try? await clock.sleep(for: timeout)) != nil else { return }
            race.settle(.failure(NodeTimeoutError(nodeID: call.nodeID, timeout: timeout)))
        }
        defer {
            work.cancel()
            timer.cancel()
        }
        return try await withTaskCancellationHandler {
            try await race.value
        } onCancel: {
            race.settle(.failure(CancellationError()))
        }
    }
}
