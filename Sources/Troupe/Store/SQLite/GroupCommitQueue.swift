import Dispatch

/// The writes waiting for the store's writer thread. Whatever arrives while a transaction is being
/// committed goes into the next one, so many callers share one `fsync` (group commit).
final class GroupCommitQueue: Sendable {
    /// One caller's work inside a transaction, and who to tell how the transaction ended.
    struct Job: Sendable {
        let work: @Sendable (SQLiteConnection) throws -> Void
        let done: (@Sendable ((any Error)?) -> Void)?
    }

    private struct State {
        var pending: [Job] = []
        var writerIdle = true
        var closed = false
    }

    private let state = LockedValue(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    /// Adds a job; returns `false` (adding nothing) once the queue is closed.
    func enqueue(_ job: Job) -> Bool {
        let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
            guard !state.closed else { return (false, false) }
            state.pending.append(job)
            guard state.writerIdle else { return (true, false) }
            state.writerIdle = false
            return (true, true)
        }
        if wake { wakeUp.signal() }
        return accepted
    }

    /// How many jobs wait for the writer (for tests).
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Stops accepting jobs; the writer takes what is left, then ``next(limit:)`` returns `nil`.
    func close() {
        let wake = state.withLock { state -> Bool in
            state.closed = true
            defer { state.writerIdle = false }
            return state.writerIdle
        }
        if wake { wakeUp.signal() }
    }

    /// The writer's next batch of at most `limit` jobs, waiting for one; `nil` once closed and empty.
    func next(limit: Int) -> [Job]? {
        while true {
            let batch = state.withLock { state -> [Job]? in
                if state.pending.isEmpty {
                    if state.closed { return nil }
                    state.writerIdle = true
                    return []
                }
                let count = min(limit, state.pending.count)
                defer { state.pending.removeFirst(count) }
                return Array(state.pending.prefix(count))
            }
            guard let batch else { return nil }
            if !batch.isEmpty { return batch }
            wakeUp.wait()
        }
    }
}
