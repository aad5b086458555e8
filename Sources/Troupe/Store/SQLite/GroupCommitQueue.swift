import Dispatch

/// The writes waiting for the store's writer thread. Whatever arrives while a transaction is being
/// committed goes into the next one, so many callers share one `fsync` (group commit).
///
/// Writes nobody waits for (``RunStore/submit(_:)``) do not start a transaction of their own: they
/// wait for the next awaited write, or for a short linger, so that one instance's node costs one
/// commit (its completion) and not two (its start's records, then its completion). After a batch,
/// the writer waits a little for the waiters it woke to queue their next writes (see
/// ``next(limit:gathering:)``), so that many callers in flight share each commit.
final class GroupCommitQueue: Sendable {
    /// One caller's work inside a transaction, and who to tell how the transaction ended.
    struct Job: Sendable {
        /// What a job does in the transaction.
        enum Work: Sendable {
            /// Rows to write: the writer may merge them with other jobs' writes of the same rows.
            case writes([EncodedWrite])
            /// Any statements, run in order with the batch's other jobs.
            case custom(@Sendable (SQLiteConnection) throws -> Void)
        }

        let work: Work
        let done: (@Sendable ((any Error)?) -> Void)?
        /// Whether it already went back once after a failed transaction that nobody awaited.
        var carried = false

        init(writes: [EncodedWrite], done: (@Sendable ((any Error)?) -> Void)?) {
            work = .writes(writes)
            self.done = done
        }

        init(work: @escaping @Sendable (SQLiteConnection) throws -> Void, done: (@Sendable ((any Error)?) -> Void)?) {
            self.work = .custom(work)
            self.done = done
        }
    }

    private struct State {
        var pending: [Job] = []
        /// How many of `pending` someone awaits.
        var awaited = 0
        var writerIdle = true
        /// Whether the idle writer waits out the linger (it needs waking only for an awaited job).
        var lingering = false
        /// While the idle writer gathers: how many awaited jobs it waits for (or a full batch).
        var gathering: (awaited: Int, limit: Int)?
        var closed = false
    }

    /// How long submitted writes wait for an awaited one before they are committed alone.
    static let linger = DispatchTimeInterval.milliseconds(20)

    private let state = LockedValue(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    /// Adds a job; returns `false` (adding nothing) once the queue is closed.
    func enqueue(_ job: Job) -> Bool {
        let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
            guard !state.closed else { return (false, false) }
            state.pending.append(job)
            if job.done != nil { state.awaited += 1 }
            guard state.writerIdle else { return (true, false) }
            if let gathering = state.gathering {
                guard state.awaited >= gathering.awaited || state.pending.count >= gathering.limit else { return (true, false) }
            } else if job.done == nil && state.lingering {
                return (true, false)
            }
            state.writerIdle = false
            return (true, true)
        }
        if wake { wakeUp.signal() }
        return accepted
    }

    /// Puts the jobs of a failed transaction that nobody awaited back in front, once each, so that
    /// they go with the next transaction and its waiters learn if they fail again; jobs that went
    /// back before are dropped.
    func carry(_ failed: [Job]) {
        let again = failed.filter { !$0.carried }.map { job in
            var job = job
            job.carried = true
            return job
        }
        state.withLock { state in state.pending.insert(contentsOf: again, at: 0) }
    }

    /// How many jobs wait for the writer (for tests).
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Whether the writer waits for the waiters it woke to come back (for tests).
    var isGathering: Bool { state.withLock { $0.gathering != nil } }

    /// Stops accepting jobs; the writer takes what is left, then ``next(limit:gathering:)`` returns `nil`.
    func close() {
        let wake = state.withLock { state -> Bool in
            state.closed = true
            defer { state.writerIdle = false }
            return state.writerIdle
        }
        if wake { wakeUp.signal() }
    }

    /// What the writer waits for before its next batch, after one whose waiters it woke.
    struct Gathering {
        /// How many waiters the last batch woke: the writer waits for as many awaited jobs more
        /// than were already queued, since each waiter of a busy store comes back with its next write.
        let woken: Int
        /// The longest it waits for them (the last transaction's duration).
        let atMost: DispatchTimeInterval
    }

    /// The writer's next batch of at most `limit` jobs, waiting for one; `nil` once closed and empty.
    ///
    /// With `gathering`, it first waits, at most for `gathering.atMost`, until the waiters it just
    /// woke have queued their next writes too, so that many callers in flight share one commit
    /// instead of splitting into halves that take turns (those who came during the last commit,
    /// and those it woke). A lone caller is not held up: it is the one awaited job waited for.
    func next(limit: Int, gathering: Gathering? = nil) -> [Job]? {
        var lingered = false
        var gatherUntil = gathering.map { DispatchTime.now() + $0.atMost }
        var gatherTarget: Int?
        while true {
            let (batch, wait) = state.withLock { state -> ([Job]?, DispatchTime?) in
                state.gathering = nil
                if state.pending.isEmpty && state.closed { return (nil, nil) }
                if let until = gatherUntil, let gathering, !state.closed {
                    let target = gatherTarget ?? state.awaited + gathering.woken
                    gatherTarget = target
                    if state.awaited < target && state.pending.count < limit && DispatchTime.now() < until {
                        state.writerIdle = true
                        state.lingering = false
                        state.gathering = (target, limit)
                        return ([], until)
                    }
                }
                gatherUntil = nil
                if state.pending.isEmpty {
                    state.writerIdle = true
                    state.lingering = false
                    return ([], .distantFuture)
                }
                if state.awaited == 0 && !state.closed && !lingered {
                    state.writerIdle = true
                    state.lingering = true
                    return ([], .now() + Self.linger)
                }
                let count = min(limit, state.pending.count)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                state.awaited -= batch.count { $0.done != nil }
                return (batch, nil)
            }
            guard let batch else { return nil }
            if !batch.isEmpty { return batch }
            guard let wait else { continue }
            let timedOut = wakeUp.wait(timeout: wait) == .timedOut
            // Only the linger's end lets submitted writes go alone; a gathering's end does not.
            lingered = timedOut && gatherUntil == nil && wait != .distantFuture
        }
    }
}
