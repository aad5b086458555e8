/// The first of several racing outcomes, awaited by one task; later ones are dropped.
///
/// For races whose losers may never finish (code that ignores cancellation), which a task group
/// cannot express: it waits for every child before it returns.
final class FirstOutcome<Value: Sendable>: Sendable {
    private struct State {
        var outcome: Result<Value, any Error>?
        var waiter: CheckedContinuation<Value, any Error>?
    }

    private let state = LockedValue(State())

    /// Records `outcome` unless one was recorded already, and wakes the waiter.
    func settle(_ outcome: Result<Value, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: outcome)
    }

    /// The first outcome, once there is one. Only one task may await it.
    var value: Value {
        get async throws {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let settled = state.withLock { state -> Result<Value, any Error>? in
                    if let outcome = state.outcome { return outcome }
                    state.waiter = continuation
                    return nil
                }
                if let settled { continuation.resume(with: settled) }
            }
        }
    }
}
