import Dispatch
import Synchronization

/// The writes waiting for the store's writer thread. Whatever arrives while a transaction is being
/// committed goes into the next one, so many callers share one `fsync` (group commit).
///
/// Writes nobody waits for (``RunStore/submit(_:)``) do not start a transaction of their own: they
/// wait for the next awaited write, or for a short linger, so that one instance's node costs one
/// commit (its completion) and not two (its start's records, then its completion).
///
/// A caller that finds the writer idle may instead *lead* (``lead(limit:)``): take what waits and
/// run the transaction on its own thread, while later jobs queue for the writer. Handing a lone
/// commit to the writer thread and being woken back costs two thread wake-ups, 60 to 90 µs here
/// against a commit of about 250 µs. At most one transaction runs at a time, the writer's or a leader's.
final class GroupCommitQueue: Sendable {
    /// One caller's work inside a transaction, and who to tell how the transaction ended.
    struct Job: Sendable {
        /// What a job does in the transaction.
        enum Work: Sendable {
            /// Rows to write: the writer may merge them with other jobs' writes of the same rows.
            case writes([EncodedWrite])
            /// A node attempt's start, the commonest write (one per node), held as it is: no array of one write made for it.
            case start(NodeAttemptStart)
            /// A node's completion, nearly every node's end, held as it is.
            case completion(EncodedWrite.Completion)
            /// Any statements, run in order with the batch's other jobs.
            case custom(@Sendable (SQLiteConnection) throws -> Void)
        }

        let work: Work
        /// Who awaits the transaction, resumed once when it ends; `nil` for a submitted job. Held
        /// as it is rather than in a closure: one allocation fewer per commit. (An unsafe
        /// continuation would save the check object too, but ThreadSanitizer then reports its
        /// resume on the writer's side as a race with the awaiting task.)
        let waiter: CheckedContinuation<Void, any Error>?
        /// Whether it already went back once after a failed transaction.
        var carried = false

        init(writes: [EncodedWrite], waiter: CheckedContinuation<Void, any Error>?) {
            work = .writes(writes)
            self.waiter = waiter
        }

        init(work: @escaping @Sendable (SQLiteConnection) throws -> Void, waiter: CheckedContinuation<Void, any Error>?) {
            self.work = .custom(work)
            self.waiter = waiter
        }

        init(work: Work, waiter: CheckedContinuation<Void, any Error>?) {
            self.work = work
            self.waiter = waiter
        }

        /// Tells the waiter, if any, how the transaction ended.
        func finish(_ failure: (any Error)?) {
            guard let waiter else { return }
            if let failure { waiter.resume(throwing: failure) } else { waiter.resume() }
        }
    }

    private struct State {
        var pending: [Job] = []
        /// How many of `pending` someone awaits.
        var awaited = 0
        /// Whether the writer waits for work between transactions: only then may a caller lead.
        var writerIdle = true
        /// Whether the idle writer waits out the linger (it needs waking only for an awaited job).
        var lingering = false
        /// Whether a caller runs a transaction itself (``lead(limit:)``): the writer then takes nothing.
        var leading = false
        var closed = false
        /// Batches the writer is done with, freed by the next caller to enqueue (``discard(_:)``).
        var spent: [[Job]] = []
    }

    /// How long submitted writes wait for an awaited one before they are committed alone.
    static let linger = DispatchTimeInterval.milliseconds(20)

    private let state = LockedValue(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    /// How many jobs the writer's last batch held (``next(limit:)``).
    private let lastBatchSize = Atomic<Int>(0)

    /// Adds a job; returns `false` (adding nothing) once the queue is closed.
    func enqueue(_ job: Job) -> Bool {
        let (accepted, wake, spent) = state.withLock { state -> (Bool, Bool, [[Job]]) in
            let spent = Self.takeSpent(&state)
            guard !state.closed else { return (false, false, spent) }
            state.pending.append(job)
            if job.waiter != nil { state.awaited += 1 }
            // A leader wakes the writer as it ends, if anything came meanwhile.
            guard state.writerIdle, !state.leading, job.waiter != nil || !state.lingering else { return (true, false, spent) }
            state.writerIdle = false
            return (true, true, spent)
        }
        if wake { wakeUp.signal() }
        // The spent batches are freed here, out of the lock, on a thread of the callers that made them.
        withExtendedLifetime(spent) {}
        return accepted
    }

    /// Adds `job`, awaited, unless the writer is idle and no caller leads: then it is added as a
    /// submitted job, nobody told, and `false` returned, for the caller to commit it by leading
    /// (``lead(limit:)``), as a lone commit should. `nil` once the queue is closed (adding nothing).
    func enqueueUnlessWriterIdle(_ job: Job) -> Bool? {
        let (queued, spent) = state.withLock { state -> (Bool?, [[Job]]) in
            let spent = Self.takeSpent(&state)
            guard !state.closed else { return (nil, spent) }
            if state.writerIdle && !state.leading {
                state.pending.append(Job(work: job.work, waiter: nil))
                return (false, spent)
            }
            // A busy writer takes it with its next batch, and a leader wakes it as it ends: no one to wake here.
            state.pending.append(job)
            state.awaited += 1
            return (true, spent)
        }
        withExtendedLifetime(spent) {}
        return queued
    }

    /// The batches the writer handed back, for the caller that takes them to free out of the lock.
    private static func takeSpent(_ state: inout State) -> [[Job]] {
        let spent = state.spent
        if !spent.isEmpty { state.spent = [] }
        return spent
    }

    /// Hands back a batch the writer is done with, to be freed by the next caller to ``enqueue(_:)``:
    /// its jobs' writes and waiters were allocated on the callers' threads, and glibc's `free` of a
    /// block from another thread's arena takes that arena's lock. Freed on the writer, they made it
    /// contend with every caller's `malloc` for those locks, and a thread that finds one taken
    /// sleeps: a `sched_switch` profile of the durable row counted 1,648 such waits, 941 this way.
    func discard(_ batch: [Job]) {
        state.withLock { $0.spent.append(batch) }
    }

    /// Every waiting job, fewer than `limit`, for a transaction the caller runs itself, when the
    /// writer is idle and no other caller leads; `nil` otherwise. The caller then commits them and its own
    /// writes in that order, ``carry(_:reported:)``s them if that fails, and calls ``endLead()``.
    ///
    /// An idle writer has no awaited job: the jobs taken are submitted ones, which nobody waits for.
    func lead(limit: Int) -> [Job]? {
        state.withLock { state -> [Job]? in
            guard state.writerIdle, !state.leading, !state.closed, state.pending.count < limit else { return nil }
            // The leader tells no waiter of the jobs it takes, and `awaited` would count them still:
            // an awaited job queued for an idle writer would never be resumed.
            precondition(state.awaited == 0, "the writer is idle with \(state.awaited) awaited jobs queued")
            state.leading = true
            defer { state.pending.removeAll() }
            return state.pending
        }
    }

    /// Ends a transaction begun with ``lead(limit:)``: the writer is woken for what queued meanwhile, or to stop.
    func endLead() {
        endLead(handingBack: [], then: nil)
    }

    /// Ends a lead that began no transaction (another process holds the write lock): `taken` goes
    /// back in front, as it was, then `job`, for the writer, which waits for the lock instead.
    func endLead(handingBack taken: [Job], then job: Job?) {
        let wake = state.withLock { state -> Bool in
            state.pending.insert(contentsOf: taken, at: 0)
            if let job {
                state.pending.append(job)
                if job.waiter != nil { state.awaited += 1 }
            }
            state.leading = false
            guard state.writerIdle, !state.pending.isEmpty || state.closed else { return false }
            state.writerIdle = false
            return true
        }
        if wake { wakeUp.signal() }
    }

    /// Puts the submitted jobs of a failed transaction back in front, once each, so that they go
    /// with the next transaction, whose waiters learn if they fail again. `reported` tells whether
    /// this failure reaches anyone: a waiter among `failed`, or the caller that led the transaction.
    ///
    /// Those that went back before are dropped, and every awaited job still queued fails with them,
    /// returned for the caller to tell: it was submitted after them, so it must not return as if they
    /// were durable (it may lie beyond the batch limit). Until the queue closes, someone always
    /// learns: ``next(limit:)`` takes jobs that went back only with an awaited one.
    func carry(_ failed: [Job], reported: Bool) -> [Job] {
        let submitted = failed.filter { $0.waiter == nil }
        let dropping = submitted.contains { $0.carried }
        return state.withLock { state -> [Job] in
            guard !dropping || reported || state.awaited > 0 else {
                // A closing queue's last writes, and nobody will learn that they failed: the rest goes
                // too, so that what stays durable is what was submitted up to some point, as after a crash.
                state.pending.removeAll()
                return []
            }
            let again = submitted.filter { !$0.carried }.map { job in
                var job = job
                job.carried = true
                return job
            }
            state.pending.insert(contentsOf: again, at: 0)
            guard dropping else { return [] }
            let failing = state.pending.filter { $0.waiter != nil }
            state.pending.removeAll { $0.waiter != nil }
            state.awaited = 0
            return failing
        }
    }

    /// How many jobs wait for the writer (for tests).
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Whether the writer waits for work, or has not yet asked for any (for tests).
    var writerIsIdle: Bool { state.withLock { $0.writerIdle } }

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
    ///
    /// Jobs that went back after a failure (in front, when any wait) are not taken alone once the
    /// linger runs out: the writer waits for an awaited job to take with them, whose waiter learns
    /// if they fail again, or for the queue to close.
    func next(limit: Int) -> [Job]? {
        var lingered = false
        // The queue's next buffer, as large as the last batch, made before the lock is taken: an
        // empty queue grew under the lock by doubling, each step an allocation and a move of the jobs
        // queued so far while every caller to enqueue waited.
        var fresh: [Job] = []
        fresh.reserveCapacity(lastBatchSize.load(ordering: .relaxed))
        while true {
            let (batch, deadline) = state.withLock { state -> ([Job]?, DispatchTime) in
                // Woken while a caller leads (to close, or for a job before it began): it wakes the writer again as it ends.
                if state.leading {
                    state.writerIdle = true
                    state.lingering = false
                    return ([], .distantFuture)
                }
                if state.pending.isEmpty {
                    if state.closed { return (nil, .distantFuture) }
                    state.writerIdle = true
                    state.lingering = false
                    return ([], .distantFuture)
                }
                if state.awaited == 0 && !state.closed && (!lingered || state.pending[0].carried) {
                    state.writerIdle = true
                    state.lingering = true
                    return ([], state.pending[0].carried ? .distantFuture : .now() + Self.linger)
                }
                // Busy from here, however it woke (a linger that ran out wakes it with no one's
                // signal): no caller may lead while its transaction runs.
                state.writerIdle = false
                state.lingering = false
                let batch: [Job]
                if state.pending.count <= limit {
                    // The whole queue, handed over as it is, with no job copied, and every awaited job with it.
                    batch = state.pending
                    swap(&state.pending, &fresh)
                    state.awaited = 0
                } else {
                    batch = Array(state.pending.prefix(limit))
                    state.pending.removeFirst(limit)
                    for index in batch.indices where batch[index].waiter != nil { state.awaited -= 1 }
                }
                return (batch, .distantFuture)
            }
            guard let batch else { return nil }
            if !batch.isEmpty {
                lastBatchSize.store(batch.count, ordering: .relaxed)
                return batch
            }
            lingered = wakeUp.wait(timeout: deadline) == .timedOut
        }
    }
}
