import CSQLite
import Foundation

/// The embedded run store: one SQLite file in WAL mode. One writer thread commits everything in
/// batches (group commit: writes that arrive during a commit go in the next one), each batch one
/// `BEGIN IMMEDIATE` transaction; a commit that finds the writer idle runs its transaction on its
/// own thread instead (``GroupCommitQueue/lead(limit:)``), one transaction at a time either way.
/// Reads run on connections of their own, so a reader such as `troupe runs` never waits for the
/// writer, in this process or another.
public final class SQLiteRunStore: RunStore {
    /// How hard a commit waits for the disk.
    public enum Synchronous: String, Sendable {
        /// `fsync` at every commit: a committed run survives a power loss (the default).
        case full
        /// Survives a crash of the process, but a power loss may lose the last commits (never corrupt).
        case normal
    }

    /// The store's file.
    public let path: String
    /// This store's owner name.
    public var owner: String { lock.owner }
    let queue = GroupCommitQueue()
    /// The writing connection: the writer thread's, and a leading commit's while it leads.
    private let writer: SQLiteConnection
    private let lock: OwnerLock
    private let busyTimeout: Int32
    private let readers = LockedValue<[SQLiteConnection]>([])
    private let writerStopped = LockedValue<(stopped: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    private let transactionCount = LockedValue(0)
    /// The most jobs in one transaction: bounds how long one commit holds the write lock.
    static let batchLimit = 1024

    // The bound on `cache_entries` and the wall clock expiry is read on.
    /// The most results the store keeps for `cache` interceptors with `"backend": "store"`, at once.
    public let maxCacheEntries: Int
    let now: @Sendable () -> Date

    /// Opens (creating it if missing) the store at `path`, upgrading an older schema; refuses a file
    /// that is not an SQLite database, a newer schema, and a directory it cannot write. As a
    /// ``CacheBackend`` it keeps at most `maxCacheEntries` results (below 1 counts as 1).
    public convenience init(
        path: String, synchronous: Synchronous = .full, busyTimeout: Duration = .seconds(5), maxCacheEntries: Int = 10_000
    )
        throws
    {
        try self.init(path: path, synchronous: synchronous, busyTimeout: busyTimeout, maximumPageCount: nil, maxCacheEntries: maxCacheEntries)
    }

    /// As the public initializer; `maximumPageCount` caps the file's size (tests use it as a full
    /// disk), and cache entries expire on `now` (tests pass a clock of their own).
    init(
        path: String, synchronous: Synchronous, busyTimeout: Duration, maximumPageCount: Int?, maxCacheEntries: Int = 10_000,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(StoreError) {
        self.path = path
        self.maxCacheEntries = max(1, maxCacheEntries)
        self.now = now
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        self.busyTimeout = Int32(clamping: milliseconds)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw StoreError(type: "CannotOpen", message: "store \(path): is a directory")
        }
        let writer = try SQLiteConnection(path: path, create: true, busyTimeout: self.busyTimeout)
        // The journal mode is the first read of the file: a file that is not SQLite fails here.
        let mode = try writer.statement("PRAGMA journal_mode=WAL")
        guard try mode.step(), mode.text(0).lowercased() == "wal" else {
            throw StoreError(type: "ReadOnly", message: "store \(path): cannot switch to WAL mode (is the directory writable?)")
        }
        mode.reset()
        try writer.execute("PRAGMA synchronous=\(synchronous.rawValue.uppercased())")
        if let maximumPageCount { try writer.execute("PRAGMA max_page_count=\(maximumPageCount)") }
        try SQLiteSchema.migrate(writer)
        self.writer = writer
        lock = try OwnerLock(directory: path + ".owners")
        let queue = queue
        let writerStopped = writerStopped
        do {
            try LinuxSystemCalls.startThread { [transactionCount] in
                Self.write(queue: queue, connection: writer, transactions: transactionCount)
                // Closed before `close()` returns, so that the store's files are complete by then.
                writer.close()
                let waiters = writerStopped.withLock { state in
                    state.stopped = true
                    defer { state.waiters = [] }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume() }
            }
        } catch {
            throw StoreError(type: "IOError", message: "store \(path): cannot start its writer thread: \(error)")
        }
    }

    deinit { queue.close() }

    /// How many transactions the writer and leading commits have begun (for tests and benchmarks).
    var transactions: Int { transactionCount.withLock { $0 } }

    /// The writer thread: one transaction per batch; every job of a batch learns how it ended.
    private static func write(queue: GroupCommitQueue, connection: SQLiteConnection, transactions: LockedValue<Int>) {
        var rows = BatchRows()
        // A batch's waiters are told as soon as it commits, before the next batch is taken. Told
        // only once the next commit's statements were written, they waited a third of a cycle more
        // for nothing: the 2 cores idled 24% of the time, both pool threads asleep while the writer
        // wrote (durable row 0.540 → 0.574, 16 rounds each, at 19 µs of CPU per node).
        while let batch = queue.next(limit: batchLimit) {
            let failure = transaction(batch, connection: connection, rows: &rows, transactions: transactions)
            var ended = batch
            if failure != nil {
                ended += queue.carry(batch, reported: batch.contains { $0.waiter != nil })
                if ended.allSatisfy({ $0.waiter == nil }) {
                    queue.discard(ended)
                    continue
                }
            }
            tell(ended, failure, queue: queue)
        }
    }

    /// Runs `batch` as one transaction (begun already when `begun`) and returns how it failed, if it did.
    ///
    /// Whoever runs it then ``GroupCommitQueue/carry(_:reported:)``s the jobs of a failed one:
    /// submitted writes nobody awaits are not lost to one failure (a busy file, say), whether or not
    /// the failed transaction also held awaited ones. They go once more, in front of the next
    /// transaction, whose waiters learn if it fails again; a second failure drops them, as `submit`
    /// allows, and fails every commit queued behind them too. A durable node submits its completion
    /// and then awaits the next commit, which must not succeed without it, however many jobs lie
    /// between the two.
    private static func transaction(
        _ batch: [GroupCommitQueue.Job], connection: SQLiteConnection, rows: inout BatchRows, transactions: LockedValue<Int>,
        begun: Bool = false
    ) -> (any Error)? {
        transactions.withLock { $0 += 1 }
        var failure: (any Error)?
        do {
            if !begun { try connection.statement(.begin).run() }
            do {
                // By index, not `for job in batch`: each job copied out of the array is retained and
                // released, atomics on memory the callers' threads made (5% of the writer's time).
                for index in batch.indices {
                    switch batch[index].work {
                    case .writes(let writes): rows.add(writes)
                    case .start(let start): rows.add(start)
                    case .completion(let completion): rows.add(completion)
                    case .custom(let work):
                        // Runs in its place: what it reads or writes may be what the rows before it wrote.
                        try rows.apply(on: connection)
                        try work(connection)
                    }
                }
                try rows.apply(on: connection)
                try connection.statement(.commit).run()
            } catch {
                rows.removeAll()
                // Nothing of a failed batch stays: a write fails whole.
                try? connection.execute("ROLLBACK")
                throw error
            }
        } catch {
            failure = error
        }
        connection.resetStatements()
        return failure
    }

    /// The most waiters the writer wakes itself; a bigger batch's waiters are woken on another
    /// thread while the writer goes on with the next transaction.
    private static let waitersWokenByTheWriter = 16

    /// Tells the batch's waiters how it ended, then hands it back to `queue` to be freed (``GroupCommitQueue/discard(_:)``).
    private static func tell(_ batch: [GroupCommitQueue.Job], _ failure: (any Error)?, queue: GroupCommitQueue) {
        // Walked through a buffer pointer: the array's subscript copied each job out, retaining and
        // releasing its writes and waiter, atomics on memory the callers' threads made.
        let waiters = batch.withUnsafeBufferPointer { jobs in jobs.indices.count { jobs[$0].waiter != nil } }
        if waiters <= waitersWokenByTheWriter {
            finishAll(batch, failure)
            queue.discard(batch)
        } else {
            DispatchQueue.global().async {
                finishAll(batch, failure)
                queue.discard(batch)
            }
        }
    }

    private static func finishAll(_ batch: [GroupCommitQueue.Job], _ failure: (any Error)?) {
        batch.withUnsafeBufferPointer { jobs in
            // Each waiter read out alone: `jobs[index].finish(failure)` copied the whole job first,
            // its writes retained and released (1.5% of the durable row's samples, 0.4% after).
            for index in jobs.indices {
                guard let waiter = jobs[index].waiter else { continue }
                if let failure { waiter.resume(throwing: failure) } else { waiter.resume() }
            }
        }
    }

    /// Runs `body` in the writer's next transaction and returns what it returned, once committed.
    func perform<Value: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> Value) async throws -> Value {
        let result = LockedValue<Value?>(nil)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let accepted = queue.enqueue(
                GroupCommitQueue.Job(
                    work: { connection in
                        let value = try body(connection)
                        result.withLock { $0 = value }
                    },
                    waiter: continuation))
            if !accepted { continuation.resume(throwing: closedError) }
        }
        guard let value = result.withLock({ $0 }) else { throw closedError }
        return value
    }

    private var closedError: StoreError { StoreError(type: "Closed", message: "store \(path): closed") }

    /// Runs `body` on a reader connection of its own.
    func read<Value>(_ body: (SQLiteConnection) throws -> Value) throws -> Value {
        let connection = try readers.withLock { $0.popLast() } ?? SQLiteConnection(path: path, create: false, busyTimeout: busyTimeout)
        defer {
            connection.resetStatements()
            readers.withLock { $0.append(connection) }
        }
        return try body(connection)
    }

    // MARK: RunStore

    /// Commits `writes` in the next transaction; returns once it is durable.
    public func commit(_ writes: [StoreWrite]) async throws {
        let encoded = writes.map(EncodedWrite.init)
        if let waiting = queue.lead(limit: Self.batchLimit) {
            // The writer is idle: this thread commits what waited and these writes itself, unless
            // another process holds the write lock, which only the writer thread waits for.
            let begun: Bool
            do {
                begun = try writer.beginUnlessLocked()
            } catch {
                for job in queue.carry(waiting, reported: true) { job.finish(error) }
                queue.endLead()
                throw error
            }
            if begun {
                var rows = BatchRows()
                let failure = Self.transaction(
                    waiting + [GroupCommitQueue.Job(writes: encoded, waiter: nil)], connection: writer, rows: &rows,
                    transactions: transactionCount, begun: true)
                // Its own writes fail whole; the submitted ones it took go once more, as the writer's would.
                if let failure { for job in queue.carry(waiting, reported: true) { job.finish(failure) } }
                queue.endLead()
                if let failure { throw failure }
                return
            }
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                queue.endLead(handingBack: waiting, then: GroupCommitQueue.Job(writes: encoded, waiter: continuation))
            }
            return
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if !queue.enqueue(GroupCommitQueue.Job(writes: encoded, waiter: continuation)) { continuation.resume(throwing: closedError) }
        }
    }

    /// Queues `writes` for the next transaction without waiting.
    public func submit(_ writes: [StoreWrite]) {
        _ = queue.enqueue(GroupCommitQueue.Job(writes: writes.map(EncodedWrite.init), waiter: nil))
    }

    /// Queues a node attempt's start for the next transaction without waiting, as `submit([.attemptStart(start)])` does.
    func submit(start: NodeAttemptStart) {
        _ = queue.enqueue(GroupCommitQueue.Job(work: .start(start), waiter: nil))
    }

    /// Queues what the journal hands over for the next transaction without waiting, as ``submit(_:)`` does.
    func submit(_ write: JournalWrite) {
        _ = queue.enqueue(GroupCommitQueue.Job(work: Self.work(write), waiter: nil))
    }

    /// Queues `write` and resumes `waiter` once it is committed, as ``submit(_:)`` then
    /// ``commit(_:)`` would, in one step that a caller can take under a lock of its own; returns
    /// `false` when the writer is idle, having queued it as ``submit(_:)`` does and resumed `waiter`
    /// at once: the caller then commits it with `commit([])`, which runs the lone transaction on its own thread.
    func submit(_ write: JournalWrite, resumingOnCommit waiter: CheckedContinuation<Void, any Error>) -> Bool {
        switch queue.enqueueUnlessWriterIdle(GroupCommitQueue.Job(work: Self.work(write), waiter: waiter)) {
        case true?:
            return true
        case false?:
            waiter.resume()
            return false
        case nil:
            waiter.resume(throwing: closedError)
            return true
        }
    }

    private static func work(_ write: JournalWrite) -> GroupCommitQueue.Job.Work {
        switch write {
        case .writes(let writes): .writes(writes.map(EncodedWrite.init))
        case .completion(let completion): .completion(EncodedWrite.Completion(completion))
        }
    }

    /// Records the definition and the run, or returns the run that has its idempotency key.
    public func insert(_ run: RunRecord, definition: DefinitionRecord) async throws -> RunRecord {
        let owner = owner
        return try await perform { connection in
            if let parent = run.parentRunID {
                let row = try connection.statement("SELECT status FROM runs WHERE id = ?").bind(.text(parent.rawValue))
                if try row.step(), let status = RunStatus(rawValue: row.text(0)), status.isTerminal {
                    throw StoreError(type: "ParentRunEnded", message: "child run \(run.id) not started: its parent run \(parent) ended \(status.rawValue)")
                }
            }
            try connection.statement(
                "INSERT OR IGNORE INTO definitions (hash, workflow_id, version, json, components, created_at) VALUES (?, ?, ?, ?, ?, ?)"
            )
            .bind(
                .text(definition.hash), .text(definition.workflowID), .text(definition.version), .text(definition.json),
                .json(definition.components), .date(Date())
            ).run()
            if let key = run.idempotencyKey {
                let existing = try connection.statement("\(Self.runColumns) WHERE idempotency_key = ?").bind(.text(key))
                if try existing.step() { return try Self.runRecord(existing, path: connection.path) }
            }
            var inserted = run
            inserted.owner = owner
            try Self.insertRun(inserted, on: connection)
            return inserted
        }
    }

    /// Claims `running` runs whose owner is gone, counting a recovery attempt for each.
    public func claimOrphanedRuns(_ ids: [RunID]?) async throws -> [RunRecord] {
        let lock = lock
        return try await perform { connection in
            var candidates: [(RunID, String?)] = []
            if let ids {
                let select = try connection.statement("SELECT id, owner FROM runs WHERE id = ? AND status = 'running'")
                for id in ids {
                    select.reset()
                    select.bind(.text(id.rawValue))
                    if try select.step(), let found = RunID(select.text(0)) { candidates.append((found, select.optionalText(1))) }
                }
            } else {
                // Runs control: a child run is resumed by its parent's `workflow` node, which awaits it.
                let select = try connection.statement("SELECT id, owner FROM runs WHERE status = 'running' AND parent_run_id IS NULL")
                while try select.step() {
                    if let found = RunID(select.text(0)) { candidates.append((found, select.optionalText(1))) }
                }
            }
            var gone: [String: Bool] = [:]
            let update = try connection.statement(
                "UPDATE runs SET owner = ?, recovery_attempts = recovery_attempts + 1, updated_at = ? WHERE id = ?")
            let read = try connection.statement("\(Self.runColumns) WHERE id = ?")
            var claimed: [RunRecord] = []
            for (id, previous) in candidates {
                if let previous {
                    let isGone = gone[previous] ?? lock.isGone(previous)
                    gone[previous] = isGone
                    if !isGone { continue }
                }
                update.reset()
                try update.bind(.text(lock.owner), .date(Date()), .text(id.rawValue)).run()
                read.reset()
                if try read.bind(.text(id.rawValue)).step() { claimed.append(try Self.runRecord(read, path: connection.path)) }
            }
            return claimed
        }
    }

    /// The run with this id.
    public func run(_ id: RunID) async throws -> RunRecord? {
        try read { connection in
            let select = try connection.statement("\(Self.runColumns) WHERE id = ?").bind(.text(id.rawValue))
            return try select.step() ? try Self.runRecord(select, path: path) : nil
        }
    }

    /// The runs `query` selects, newest first.
    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        // Runs control: the request watcher's poll reads only the runs its two partial indexes name.
        let pending =
            query.hasPendingRequests
            ? "AND id IN (SELECT id FROM runs WHERE request IS NOT NULL UNION SELECT run_id FROM signals WHERE status = 'pending')" : ""
        return try read { connection in
            let select = try connection.statement(
                """
                \(Self.runColumns) WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR workflow_id = ?2)
                AND (?3 IS NULL OR created_at >= ?3) AND (?5 IS NULL OR owner = ?5) \(pending) ORDER BY id DESC LIMIT ?4
                """
            )
            .bind(
                .optional(query.status?.rawValue), .optional(query.workflowID), .date(query.since), .integer(max(0, query.limit)),
                .optional(query.owner))
            var runs: [RunRecord] = []
            while try select.step() { runs.append(try Self.runRecord(select, path: path)) }
            return runs
        }
    }

    /// Every attempt of a run's nodes.
    public func attempts(of run: RunID) async throws -> [NodeAttemptRecord] {
        try read { connection in try Self.attempts(of: run, on: connection) }
    }

    /// A run's history in order.
    public func events(of run: RunID) async throws -> [RunEventRecord] {
        try read { connection in
            // Node attempts keep their own start and end entries (see `FrequentStatement.upsertAttempt`).
            let select = try connection.statement(
                """
                SELECT sequence, date, kind, node_id, details FROM events WHERE run_id = ?1
                UNION ALL SELECT start_sequence, start_date, start_kind, node_id, start_details FROM node_attempts
                WHERE run_id = ?1 AND start_sequence IS NOT NULL
                UNION ALL SELECT end_sequence, end_date, end_kind, node_id, end_details FROM node_attempts
                WHERE run_id = ?1 AND end_sequence IS NOT NULL
                ORDER BY 1
                """
            ).bind(.text(run.rawValue))
            var events: [RunEventRecord] = []
            while try select.step() {
                events.append(
                    RunEventRecord(
                        runID: run, sequence: select.integer(0), date: Date(timeIntervalSince1970: select.real(1)), kind: select.text(2),
                        nodeID: select.optionalText(3), details: try Self.json(select.text(4), path: path, place: "events of run \(run)")))
            }
            return events
        }
    }

    /// The definition with this hash.
    public func definition(_ hash: String) async throws -> DefinitionRecord? {
        try read { connection in
            let select = try connection.statement("SELECT workflow_id, version, json, components FROM definitions WHERE hash = ?").bind(.text(hash))
            guard try select.step() else { return nil }
            return DefinitionRecord(
                hash: hash, workflowID: select.text(0), version: select.text(1), json: select.text(2),
                components: try Self.json(select.text(3), path: path, place: "definition \(hash)"))
        }
    }

    /// Deletes ended runs older than `date`, 500 per transaction so that the writer is never held long.
    public func prune(endedBefore date: Date, status: RunStatus?) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await perform { connection -> Int in
                let select = try connection.statement(
                    "SELECT id FROM runs WHERE ended_at IS NOT NULL AND ended_at < ?1 AND (?2 IS NULL OR status = ?2) LIMIT 500"
                ).bind(.date(date), .optional(status?.rawValue))
                var ids: [String] = []
                while try select.step() { ids.append(select.text(0)) }
                for id in ids {
                    for table in ["node_attempts", "events", "signals"] {
                        try connection.statement("DELETE FROM \(table) WHERE run_id = ?").bind(.text(id)).run()
                    }
                    try connection.statement("DELETE FROM runs WHERE id = ?").bind(.text(id)).run()
                }
                return ids.count
            }
            total += deleted
            if deleted < 500 { return total }
        }
    }

    /// Commits what is queued, stops the writer and closes the connections; later calls fail with `Closed`.
    public func close() async {
        queue.close()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = writerStopped.withLock { state -> Bool in
                if !state.stopped { state.waiters.append(continuation) }
                return state.stopped
            }
            if stopped { continuation.resume() }
        }
        readers.withLock { $0.removeAll() }
        lock.release()
    }
}
