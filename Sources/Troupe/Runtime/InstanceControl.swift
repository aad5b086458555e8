import Synchronization

/// The pause and cancel requests for one instance, readable from any thread without an actor hop,
/// because `cancel()` must reach an instance that is suspended waiting to be resumed; and its
/// result once it has ended, awaited by any number of tasks (``InstanceCompletion``).
///
/// A pause requested before the instance starts is kept and takes effect when it starts.
final class InstanceControl: Sendable {
    private struct State {
        var paused = false
        var stopReason: InstanceStatus?
        var waiters: [CheckedContinuation<Void, Never>] = []
        var task: Task<Void, Never>?
        /// Counts the tasks attached and forgotten, so that a parking task forgets only itself and
        /// never the task a signal attached while it was still leaving (``forgetTask(since:)``).
        var taskEpoch: UInt32 = 0
        /// The parked wait a stop must end, the instance having no task to cancel; kept as it is
        /// rather than in a closure (one allocation fewer per parked instance).
        var parkedWait: ParkedWithdrawal?
        var completion = InstanceCompletion()
    }

    private let state = LockedValue(State())
    /// Whether a pause (bit 0) or a stop (bit 1) is requested, mirrored from the state under its
    /// lock: the scheduler asks around every node, and mostly the answer is no.
    private let requests = Atomic<UInt8>(0)

    /// Why the instance must stop starting nodes: `.cancelled` or `.timedOut`; `nil` while it may go on.
    var stopReason: InstanceStatus? {
        guard isStopRequested else { return nil }
        return state.withLock { $0.stopReason }
    }

    /// Whether ``stopReason`` is set, read without the lock.
    var isStopRequested: Bool { requests.load(ordering: .acquiring) & 2 != 0 }

    var isPaused: Bool { requests.load(ordering: .acquiring) & 1 != 0 }

    /// Mirrors `state`'s requests into ``requests``; called under the lock, so writers publish in order.
    private func mirror(_ state: State) {
        requests.store((state.paused ? 1 : 0) | (state.stopReason == nil ? 0 : 2), ordering: .releasing)
    }

    /// Records the first stop request; later ones do not change the reason. Returns whether this one counted.
    @discardableResult
    func requestStop(_ reason: InstanceStatus) -> Bool {
        let (counted, waiters, parkedWait) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>], ParkedWithdrawal?) in
            guard state.stopReason == nil else { return (false, [], nil) }
            state.stopReason = reason
            mirror(state)
            defer {
                state.waiters = []
                state.parkedWait = nil
            }
            return (true, state.waiters, state.parkedWait)
        }
        for waiter in waiters { waiter.resume() }
        parkedWait?.withdraw()
        return counted
    }

    /// Ends the parked wait with `withdrawal` when the instance is asked to stop, at once if it was
    /// already: the wait of an instance parked with no task ends with the stop.
    func whenStopped(_ withdrawal: ParkedWithdrawal) {
        let stoppedAlready = state.withLock { state -> Bool in
            guard state.stopReason == nil else { return true }
            state.parkedWait = withdrawal
            return false
        }
        if stoppedAlready { withdrawal.withdraw() }
    }

    /// Forgets the parked wait of ``whenStopped(_:)``: it has ended.
    func parkedWaitEnded() {
        state.withLock { $0.parkedWait = nil }
    }

    /// Starts the task that runs the instance (the first, or the one a parked wait's signal starts)
    /// and keeps it, so that ``cancel()`` reaches its running nodes; a cancel that came first cancels
    /// it at once.
    ///
    /// The task is made under the lock: it cannot park, and so forget itself, before it is kept.
    /// Otherwise a late attach would keep a finished task in place of the one a signal started.
    func attach(_ makeTask: () -> Task<Void, Never>) {
        let (task, cancelNow) = state.withLock { state -> (Task<Void, Never>, Bool) in
            let task = makeTask()
            state.task = task
            state.taskEpoch &+= 1
            return (task, state.stopReason == .cancelled)
        }
        // Outside the lock: cancelling runs the task's cancellation handlers, which may take it.
        if cancelNow { task.cancel() }
    }

    /// The current count of ``attach(_:)`` and ``forgetTask(since:)``, read by a task about to park.
    var taskEpoch: UInt32 { state.withLock { $0.taskEpoch } }

    /// Forgets the instance's task, which parked when the count was `epoch`, and whose frames are
    /// leaving: a finished task kept referenced keeps its memory for as long as the reference lives.
    /// When a signal has attached a new task since, that one is kept.
    func forgetTask(since epoch: UInt32) {
        state.withLock { state in
            guard state.taskEpoch == epoch else { return }
            state.task = nil
            state.taskEpoch &+= 1
        }
    }

    /// Stops the instance starting nodes and cancels its task, when it has one of its own.
    func cancel() {
        requestStop(.cancelled)
        state.withLock { $0.task }?.cancel()
    }

    /// Sets the pause request; returns whether it changed.
    @discardableResult
    func setPaused(_ paused: Bool) -> Bool {
        let (changed, waiters) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
            guard state.paused != paused else { return (false, []) }
            state.paused = paused
            mirror(state)
            guard !paused else { return (true, []) }
            defer { state.waiters = [] }
            return (true, state.waiters)
        }
        for waiter in waiters { waiter.resume() }
        return changed
    }

    /// Returns once the instance is resumed, asked to stop, or its task is cancelled.
    func waitWhilePaused() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    guard state.paused, state.stopReason == nil, !Task.isCancelled else { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    // MARK: The result

    /// Records the result and wakes every waiter; called once, by the instance.
    func finish(_ result: WorkflowResult) {
        let waiters = state.withLock { state -> [InstanceCompletion.Waiter] in
            state.completion.result = HeapBox(result)
            defer { state.completion.waiters = [:] }
            return Array(state.completion.waiters.values)
        }
        for waiter in waiters {
            switch waiter {
            case .result(let continuation): continuation.resume(returning: result)
            case .end(let continuation): continuation.resume()
            }
        }
    }

    /// Waits for the instance to end however long it takes, even in a cancelled task.
    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = state.withLock { state -> Bool in
                if state.completion.result != nil { return true }
                state.completion.nextToken += 1
                state.completion.waiters[state.completion.nextToken] = .end(continuation)
                return false
            }
            if ended { continuation.resume() }
        }
    }

    /// The instance's result once it has ended; throws `CancellationError` when the waiting task is
    /// cancelled first, and the instance goes on.
    func result() async throws(CancellationError) -> WorkflowResult {
        let token = state.withLock { state -> UInt64 in
            state.completion.nextToken += 1
            return state.completion.nextToken
        }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WorkflowResult, any Error>) in
                    let now = state.withLock { state -> Result<WorkflowResult, any Error>? in
                        if let result = state.completion.result { return .success(result.value) }
                        if state.completion.cancelled.remove(token) != nil { return .failure(CancellationError()) }
                        state.completion.waiters[token] = .result(continuation)
                        return nil
                    }
                    if let now { continuation.resume(with: now) }
                }
            } onCancel: {
                let waiter = state.withLock { state -> CheckedContinuation<WorkflowResult, any Error>? in
                    if case .result(let waiter) = state.completion.waiters.removeValue(forKey: token) { return waiter }
                    // Cancelled before the continuation was stored: it must not be stored afterwards.
                    if state.completion.result == nil { state.completion.cancelled.insert(token) }
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
