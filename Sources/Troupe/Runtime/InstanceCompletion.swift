/// An instance's result once it has ended, awaited by any number of tasks, each of which may stop
/// waiting when it is cancelled without affecting the instance.
///
/// A struct around its lock, not a class: copies share the one state, and the instance holds it
/// without a further object in between.
struct InstanceCompletion: Sendable {
    private struct State {
        /// Boxed: a running instance's completion then holds a pointer, not a result's layout (a
        /// parked instance is mostly made of what it holds while it waits).
        var result: HeapBox<WorkflowResult>?
        var waiters: [UInt64: CheckedContinuation<WorkflowResult, any Error>] = [:]
        var cancelledWaiters: Set<UInt64> = []
        var finishWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = LockedValue(State())

    /// Records the result and wakes every waiter; called once, by the instance.
    func finish(_ result: WorkflowResult) {
        let (waiters, finishWaiters) = state.withLock { state in
            state.result = HeapBox(result)
            defer {
                state.waiters = [:]
                state.finishWaiters = [:]
            }
            return (Array(state.waiters.values), Array(state.finishWaiters.values))
        }
        for waiter in waiters { waiter.resume(returning: result) }
        for waiter in finishWaiters { waiter.resume() }
    }

    /// Waits for the result however long it takes, even in a cancelled task.
    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let token = state.withLock { state -> UInt64? in
                if state.result != nil { return nil }
                state.nextToken += 1
                state.finishWaiters[state.nextToken] = continuation
                return state.nextToken
            }
            if token == nil { continuation.resume() }
        }
    }

    /// Waits for the result; throws `CancellationError` when the waiting task is cancelled first.
    func wait() async throws(CancellationError) -> WorkflowResult {
        let token = state.withLock { state -> UInt64 in
            state.nextToken += 1
            return state.nextToken
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WorkflowResult, any Error>) in
                    let now = state.withLock { state -> Result<WorkflowResult, any Error>? in
                        if let result = state.result { return .success(result.value) }
                        if state.cancelledWaiters.remove(token) != nil { return .failure(CancellationError()) }
                        state.waiters[token] = continuation
                        return nil
                    }
                    if let now { continuation.resume(with: now) }
                }
            } onCancel: {
                let waiter = state.withLock { state -> CheckedContinuation<WorkflowResult, any Error>? in
                    if let waiter = state.waiters.removeValue(forKey: token) { return waiter }
                    // Cancelled before the continuation was stored: it must not be stored afterwards.
                    if state.result == nil { state.cancelledWaiters.insert(token) }
                    return nil
                }
                waiter?.resume(throwing: CancellationError())
            }
        } catch {
            // Nothing else resumes a waiter with an error.
            throw CancellationError()
        }
    }
}
