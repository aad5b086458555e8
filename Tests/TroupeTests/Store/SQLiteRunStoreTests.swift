import CSQLite
import Foundation
import Testing

@_spi(Development) @testable import Troupe

/// The SQLite store: schema and migrations, what it refuses and why, group commit, ownership.
@Suite("SQLite run store", .timeLimit(.minutes(2)))
struct SQLiteRunStoreTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    static func run(_ workflow: String = "w", key: String? = nil) -> (RunRecord, DefinitionRecord) {
        let definition = DefinitionRecord(WorkflowDefinition(id: workflow, nodes: [NodeDefinition("a", kind: "k")]), components: [])
        let run = RunRecord(
            id: RunID(), workflowID: workflow, workflowVersion: "1.0.0", definitionHash: definition.hash, input: ["x": 1],
            metadata: ["m": "v"], idempotencyKey: key, nodeCount: 1)
        return (run, definition)
    }

    /// Runs SQL on a connection of the test's own, outside the store.
    static func sql(_ path: String, _ text: String) throws {
        let connection = try SQLiteConnection(path: path, create: true, busyTimeout: 1000)
        try connection.execute(text)
    }

    @Test func aRunRoundTripsWithItsAttemptsAndHistory() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let (run, definition) = Self.run()
        let inserted = try await store.insert(run, definition: definition)
        #expect(inserted.owner == store.owner)
        let started = Date(timeIntervalSince1970: 1_000)
        try await store.commit([
            .attempt(NodeAttemptRecord(runID: run.id, nodeID: "a", attempt: 1, status: .failed, startedAt: started, errorType: "E", error: "no")),
            .attempt(NodeAttemptRecord(runID: run.id, nodeID: "a", attempt: 2, status: .completed, startedAt: started, output: ["ok": true])),
            .event(RunEventRecord(runID: run.id, sequence: 1, kind: "nodeCompleted", nodeID: "a", details: ["attempt": 2])),
            .status(run.id, .completed, output: ["a": ["ok": true]]),
        ])
        let read = try #require(try await store.run(run.id))
        #expect(read.status == .completed)
        #expect(read.input == ["x": 1])
        #expect(read.metadata == ["m": "v"])
        #expect(read.output == ["a": ["ok": true]])
        #expect(read.owner == nil, "an ended run has no owner")
        #expect(read.endedAt != nil)
        #expect(read.nodesCompleted == 1)
        let attempts = try await store.attempts(of: run.id)
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts[0].errorType == "E")
        #expect(attempts[1].output == ["ok": true])
        #expect(try await store.events(of: run.id).map(\.kind) == ["nodeCompleted"])
        let stored = try #require(try await store.definition(definition.hash))
        #expect(stored.json == definition.json)
        #expect(DefinitionRecord.hash(json: stored.json, components: stored.components) == definition.hash)
        await store.close()
    }

    @Test func aDefinitionRunOnOtherComponentsIsARecordOfItsOwn() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let workflow = WorkflowDefinition(id: "w", nodes: [NodeDefinition("a", kind: "echo")])
        let before = DefinitionRecord(workflow, components: [["kind": "executor", "name": "echo", "fileDigest": "1"]])
        let after = DefinitionRecord(workflow, components: [["kind": "executor", "name": "echo", "fileDigest": "2"]])
        #expect(before.hash != after.hash)
        for record in [before, after] {
            let run = RunRecord(id: RunID(date: Date()), workflowID: "w", workflowVersion: "1.0.0", definitionHash: record.hash, input: .null, nodeCount: 1)
            _ = try await store.insert(run, definition: record)
        }
        #expect(try await store.definition(before.hash)?.components == before.components)
        #expect(try await store.definition(after.hash)?.components == after.components)
        await store.close()
    }

    @Test func anIdempotencyKeyReturnsTheExistingRun() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let (first, definition) = Self.run(key: "order-17")
        let (second, _) = Self.run(key: "order-17")
        let a = try await store.insert(first, definition: definition)
        let b = try await store.insert(second, definition: definition)
        #expect(a.id == first.id)
        #expect(b.id == first.id)
        #expect(try await store.runs(RunQuery()).count == 1)
        await store.close()
    }

    @Test func clearingARequestLeavesOneWrittenSinceItWasRead() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let (run, definition) = Self.run(key: "requests")
        _ = try await store.insert(run, definition: definition)
        try await store.commit([.request(run.id, "pause")])
        // The owner read "pause"; a cancel arrives before it clears what it read.
        try await store.commit([.request(run.id, "cancel")])
        try await store.commit([.clearRequest(run.id, "pause")])
        #expect(try await store.run(run.id)?.request == "cancel")
        try await store.commit([.clearRequest(run.id, "cancel")])
        #expect(try await store.run(run.id)?.request == nil)
        await store.close()
    }

    @Test func runIDsMadeInOneMillisecondSortInTheOrderTheyWereMade() async throws {
        let date = Date()
        let ids = (0..<1000).map { _ in RunID(date: date) }
        #expect(ids.map(\.rawValue) == ids.map(\.rawValue).sorted())
        #expect(Set(ids).count == ids.count)
        // From several threads at once, still unique.
        let concurrent = await withTaskGroup(of: [RunID].self) { group in
            for _ in 0..<4 { group.addTask { (0..<500).map { _ in RunID(date: date) } } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(concurrent).count == concurrent.count)
        // One made for an earlier millisecond than the one before (another thread read its date
        // first, or the clock went back) still sorts after it.
        let later = RunID(date: date.addingTimeInterval(1))
        let madeAfter = RunID(date: date)
        #expect(later < madeAfter)
    }

    @Test func queriesFilterByStatusWorkflowAndLimit() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        var ids: [RunID] = []
        for index in 0..<6 {
            let (run, definition) = Self.run(index.isMultiple(of: 2) ? "even" : "odd")
            ids.append(try await store.insert(run, definition: definition).id)
            if index < 2 { try await store.commit([.status(run.id, .failed, error: "x")]) }
        }
        #expect(try await store.runs(RunQuery(workflowID: "even")).count == 3)
        #expect(try await store.runs(RunQuery(status: .failed)).count == 2)
        #expect(try await store.runs(RunQuery(limit: 4)).map(\.id) == Array(ids.reversed().prefix(4)))
        #expect(try await store.runs(RunQuery(since: Date().addingTimeInterval(60))).isEmpty)
        await store.close()
    }

    @Test func pruneDeletesOnlyEndedRunsOlderThanTheDate() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        var ended: [RunID] = []
        for index in 0..<3 {
            let (run, definition) = Self.run()
            _ = try await store.insert(run, definition: definition)
            if index > 0 {
                try await store.commit([.status(run.id, index == 1 ? .completed : .failed, at: Date(timeIntervalSince1970: 10))])
                ended.append(run.id)
            }
        }
        #expect(try await store.prune(endedBefore: Date(timeIntervalSince1970: 20), status: .completed) == 1)
        #expect(try await store.run(ended[0]) == nil)
        #expect(try await store.prune(endedBefore: Date(timeIntervalSince1970: 5), status: nil) == 0)
        #expect(try await store.prune(endedBefore: Date(timeIntervalSince1970: 20), status: nil) == 1)
        #expect(try await store.runs(RunQuery()).map(\.status) == [.running])
        await store.close()
    }

    // MARK: Schema

    @Test func aNewStoreHasTheCurrentSchemaVersion() throws {
        let path = directory.file()
        _ = try SQLiteRunStore(path: path)
        let connection = try SQLiteConnection(path: path, create: false, busyTimeout: 1000)
        let select = try connection.statement("SELECT version FROM schema_version")
        #expect(try select.step())
        #expect(select.integer(0) == SQLiteSchema.currentVersion)
        #expect(SQLiteSchema.currentVersion == 5)
    }

    @Test func anOlderStoreIsMigratedKeepingItsRuns() async throws {
        let path = directory.file()
        let old = try SQLiteConnection(path: path, create: true, busyTimeout: 1000)
        try SQLiteSchema.migrate(old, to: 1)
        try old.execute(
            """
            INSERT INTO runs (id, workflow_id, workflow_version, definition_hash, status, input, metadata, created_at, updated_at, node_count)
            VALUES ('01J00000000000000000000000', 'w', '1.0.0', 'h', 'completed', 'null', '{}', 1, 1, 3)
            """)
        let store = try SQLiteRunStore(path: path)
        let id = try #require(RunID("01J00000000000000000000000"))
        let run = try #require(try await store.run(id))
        #expect(run.nodeCount == 3)
        let index = try old.statement("SELECT count(*) FROM sqlite_master WHERE name = 'runs_by_end'")
        #expect(try index.step())
        #expect(index.integer(0) == 1, "migration 2 ran")
        let cache = try old.statement("SELECT count(*) FROM sqlite_master WHERE name = 'cache_entries'")
        #expect(try cache.step())
        #expect(cache.integer(0) == 1, "migration 3 ran")
        await store.close()
    }

    @Test func aVersion3StoreKeepsItsAttemptsAndHistoryAndRecordsNewOnesInTheAttemptRows() async throws {
        let path = directory.file()
        let old = try SQLiteConnection(path: path, create: true, busyTimeout: 1000)
        try SQLiteSchema.migrate(old, to: 3)
        let id = "01J00000000000000000000000"
        try old.execute(
            """
            INSERT INTO runs (id, workflow_id, workflow_version, definition_hash, status, input, metadata, created_at, updated_at, node_count)
            VALUES ('\(id)', 'w', '1.0.0', 'h', 'running', 'null', '{}', 1, 1, 2);
            INSERT INTO node_attempts (run_id, node_id, attempt, status, started_at, ended_at, output)
            VALUES ('\(id)', 'a', 1, 'completed', 10, 11, '7');
            INSERT INTO events (run_id, sequence, date, kind, node_id, details) VALUES
            ('\(id)', 1, 9, 'runStarted', NULL, '{}'), ('\(id)', 2, 10, 'nodeStarted', 'a', '{"attempt":1}'),
            ('\(id)', 3, 11, 'nodeCompleted', 'a', '{"attempt":1}');
            """)
        let store = try SQLiteRunStore(path: path)
        let run = try #require(RunID(id))
        let version = try old.statement("SELECT version FROM schema_version")
        #expect(try version.step())
        #expect(version.integer(0) == SQLiteSchema.currentVersion)
        let kept = try await store.attempts(of: run)
        #expect(kept.map(\.nodeID) == ["a"])
        #expect(kept.first?.output == 7)
        #expect(kept.first?.startEvent == nil, "a version 3 attempt has its entries in the history table")
        let start = RunEventRecord(runID: run, sequence: 4, date: Date(timeIntervalSince1970: 12), kind: "nodeStarted", nodeID: "b", details: ["attempt": 1])
        let end = RunEventRecord(runID: run, sequence: 5, date: Date(timeIntervalSince1970: 13), kind: "nodeCompleted", nodeID: "b", details: ["attempt": 1])
        try await store.commit([
            .attempt(
                NodeAttemptRecord(
                    runID: run, nodeID: "b", attempt: 1, status: .completed, startedAt: start.date, endedAt: end.date, output: 8, startEvent: start,
                    endEvent: end)),
            .event(RunEventRecord(runID: run, sequence: 6, date: Date(timeIntervalSince1970: 14), kind: "runEnded")),
        ])
        let history = try await store.events(of: run)
        #expect(history.map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(history.map(\.kind) == ["runStarted", "nodeStarted", "nodeCompleted", "nodeStarted", "nodeCompleted", "runEnded"])
        #expect(history[3] == start && history[4] == end, "an entry kept in an attempt row reads back as it was written")
        #expect(try await store.attempts(of: run).last?.endEvent == end)
        await store.close()
    }

    /// A submitted write in a transaction that fails because of another caller's write goes once
    /// more with the next one: a commit awaited after it then returns with it durable, never without it.
    @Test func aSubmittedWriteOutlivesAFailedTransactionItSharedWithAnAwaitedOne() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let (run, definition) = Self.run()
        _ = try await store.insert(run, definition: definition)
        let signal = RunSignalRecord(runID: run.id, name: "go", value: true)
        try await store.commit([.signal(signal)])
        // Held while both jobs queue, so that they share a transaction.
        let writer = await HeldWriter(store)
        store.submit([.event(RunEventRecord(runID: run.id, sequence: 0, kind: "kept"))])
        // The same signal again: its insert fails, and the transaction with it.
        let failing = Task { try await store.commit([.signal(signal)]) }
        try await writer.release(once: 2)
        await #expect(throws: StoreError.self) { try await failing.value }
        try await store.commit([])
        #expect(try await store.events(of: run.id).map(\.kind) == ["kept"], "the submitted entry is durable once the later commit returns")
        await store.close()
    }

    /// More submitted writes than one transaction takes, in two transactions that fail: those
    /// dropped at the second failure went in a transaction nobody awaited, so the commit queued
    /// behind them learns of it instead of returning without them.
    @Test func aCommitQueuedBehindSubmittedWritesDroppedAfterTwoFailuresThrows() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let (run, definition) = Self.run()
        _ = try await store.insert(run, definition: definition)
        let signal = RunSignalRecord(runID: run.id, name: "go", value: true)
        try await store.commit([.signal(signal)])
        // Held while everything below queues, so that the first transaction after it is full.
        let writer = await HeldWriter(store)
        // The same signal again fails every transaction it goes in; with the first events it fills one.
        store.submit([.signal(signal)])
        let limit = SQLiteRunStore.batchLimit
        for sequence in 1...limit { store.submit([.event(RunEventRecord(runID: run.id, sequence: sequence, kind: "submitted"))]) }
        let behind = Task { try await store.commit([]) }
        try await writer.release(once: limit + 2)
        let returned = (try? await behind.value) != nil
        try await store.commit([])
        let durable = try await store.events(of: run.id).map(\.sequence)
        #expect(!returned || durable == Array(1...limit), "a commit that returns has every write submitted before it durable")
        #expect(!returned, "the events dropped with the failing signal were submitted before it")
        await store.close()
    }

    /// An attempt's start and end, written in one transaction (the writer held while both queue)
    /// or in two, leave the same row: the end's columns, with the start's entry the end lacks.
    @Test(arguments: [true, false])
    func anAttemptsStartAndEndLeaveOneRowWithBothEntries(inOneTransaction: Bool) async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let (run, definition) = Self.run()
        _ = try await store.insert(run, definition: definition)
        let started = Date(timeIntervalSince1970: 100)
        let start = RunEventRecord(runID: run.id, sequence: 1, date: started, kind: "nodeStarted", nodeID: "a", details: ["attempt": 1])
        let end = RunEventRecord(
            runID: run.id, sequence: 2, date: Date(timeIntervalSince1970: 101), kind: "nodeCompleted", nodeID: "a", details: ["attempt": 1])
        let running = NodeAttemptRecord(runID: run.id, nodeID: "a", attempt: 1, status: .running, startedAt: started, startEvent: start)
        let completed = NodeAttemptRecord(
            runID: run.id, nodeID: "a", attempt: 1, status: .completed, startedAt: started, endedAt: end.date, output: ["ok": true], endEvent: end)
        if inOneTransaction {
            // Held in the transaction after the insert's while both writes queue.
            let writer = await HeldWriter(store)
            store.submit([.attempt(running)])
            let committed = Task { try await store.commit([.attempt(completed)]) }
            try await writer.release(once: 2)
            try await committed.value
            #expect(store.transactions - writer.transactions == 1, "both went in the transaction after the held one")
        } else {
            try await store.commit([.attempt(running)])
            #expect(try await store.attempts(of: run.id).first?.status == .running)
            try await store.commit([.attempt(completed)])
        }
        let attempts = try await store.attempts(of: run.id)
        #expect(attempts.count == 1)
        #expect(attempts.first?.status == .completed)
        #expect(attempts.first?.output == ["ok": true])
        #expect(attempts.first?.startEvent == start, "kept from the start's write")
        #expect(attempts.first?.endEvent == end)
        #expect(try await store.events(of: run.id) == [start, end])
        await store.close()
    }

    @Test func aNewerSchemaIsRefusedNamingBothVersions() throws {
        let path = directory.file()
        _ = try SQLiteRunStore(path: path)
        try Self.sql(path, "UPDATE schema_version SET version = 99")
        let error = #expect(throws: StoreError.self) { try SQLiteRunStore(path: path) }
        #expect(error?.type == "NewerSchema")
        #expect(error?.message.contains("schema version 99 is newer than this Troupe's version \(SQLiteSchema.currentVersion)") == true)
        #expect(error?.message.contains(path) == true)
    }

    // MARK: Faults

    @Test func aFileThatIsNotSQLiteIsRefusedByName() throws {
        let path = directory.file("notes.db")
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try SQLiteRunStore(path: path) }
        #expect(error?.type == "NotADatabase")
        #expect(error?.message.hasPrefix("store \(path): not an SQLite database") == true)
    }

    @Test func aCorruptStoreIsRefusedByName() async throws {
        let path = directory.file()
        let (run, definition) = Self.run()
        let store = try SQLiteRunStore(path: path)
        _ = try await store.insert(run, definition: definition)
        await store.close()
        // Keep the header, overwrite the pages after it: SQLite reads the header, then finds garbage.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 16384))
        try handle.close()
        let error = #expect(throws: StoreError.self) { try SQLiteRunStore(path: path) }
        #expect(["Corrupt", "NotADatabase"].contains(error?.type ?? ""), "\(String(describing: error))")
        #expect(error?.message.contains(path) == true)
    }

    @Test func aDirectoryThatCannotBeWrittenIsNamed() throws {
        // /proc refuses new files to everyone, root included, which a chmod would not.
        let path = "/proc/troupe-\(UUID().uuidString).db"
        let error = #expect(throws: StoreError.self) { try SQLiteRunStore(path: path) }
        #expect(["CannotOpen", "ReadOnly"].contains(error?.type ?? ""), "\(String(describing: error))")
        #expect(error?.message.hasPrefix("store \(path): ") == true)
    }

    @Test func aFullDiskFailsTheWriteWholeAndNamesTheFile() async throws {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path, synchronous: .full, busyTimeout: .seconds(1), maximumPageCount: 20)
        let (run, definition) = Self.run()
        _ = try await store.insert(run, definition: definition)
        let big = JSONValue.string(String(repeating: "x", count: 200_000))
        await #expect {
            try await store.commit([
                .event(RunEventRecord(runID: run.id, sequence: 1, kind: "small")),
                .attempt(NodeAttemptRecord(runID: run.id, nodeID: "a", attempt: 1, status: .completed, startedAt: Date(), output: big)),
            ])
        } throws: { error in
            let error = error as? StoreError
            return error?.type == "DiskFull" && error?.message.hasPrefix("store \(path): ") == true
        }
        #expect(try await store.events(of: run.id).isEmpty, "nothing of the failed transaction was written")
        #expect(try await store.attempts(of: run.id).isEmpty)
        // The store goes on once there is room again.
        try await store.commit([.event(RunEventRecord(runID: run.id, sequence: 1, kind: "small"))])
        #expect(try await store.events(of: run.id).count == 1)
        await store.close()
    }

    @Test func aStoreLockedByAnotherProcessNamesTheFile() async throws {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path, synchronous: .full, busyTimeout: .milliseconds(20), maximumPageCount: nil)
        // Another connection holds the write lock (as another process would) for the whole attempt.
        let other = try SQLiteConnection(path: path, create: false, busyTimeout: 0)
        try other.execute("BEGIN IMMEDIATE")
        let (run, definition) = Self.run()
        await #expect {
            _ = try await store.insert(run, definition: definition)
        } throws: { error in
            let error = error as? StoreError
            return error?.type == "Locked" && error?.message.hasPrefix("store \(path): locked by another process") == true
        }
        try other.execute("ROLLBACK")
        _ = try await store.insert(run, definition: definition)
        await store.close()
    }

    @Test func aClosedStoreRefusesWrites() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        await store.close()
        await #expect(throws: StoreError.self) { try await store.commit([]) }
    }

    // MARK: Ownership

    @Test func onlyRunsOfAGoneOwnerAreClaimed() async throws {
        let path = directory.file()
        let first = try SQLiteRunStore(path: path)
        let second = try SQLiteRunStore(path: path)
        let (run, definition) = Self.run()
        _ = try await first.insert(run, definition: definition)
        #expect(try await second.claimOrphanedRuns(nil).isEmpty, "its owner is alive")
        await first.close()
        let claimed = try await second.claimOrphanedRuns(nil)
        #expect(claimed.map(\.id) == [run.id])
        #expect(claimed.first?.owner == second.owner)
        #expect(claimed.first?.recoveryAttempts == 1)
        let third = try SQLiteRunStore(path: path)
        #expect(try await third.claimOrphanedRuns([run.id]).isEmpty, "the second owner holds it")
        await second.close()
        await third.close()
    }

    // MARK: Group commit

    /// Many writers at once: every commit returns only once its rows are there, no row is lost, and
    /// the writes were grouped into fewer transactions than commits.
    @Test func concurrentCommitsAreGroupedAndAllDurable() async throws {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let (run, definition) = Self.run()
        _ = try await store.insert(run, definition: definition)
        let writers = 32
        let perWriter = 50
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for index in 0..<perWriter {
                        let sequence = writer * perWriter + index + 1
                        if index.isMultiple(of: 5) {
                            store.submit([.event(RunEventRecord(runID: run.id, sequence: sequence, kind: "submitted"))])
                        } else {
                            try await store.commit([.event(RunEventRecord(runID: run.id, sequence: sequence, kind: "committed"))])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        // A commit after the submitted ones makes them durable too (they were queued before it).
        try await store.commit([])
        let events = try await store.events(of: run.id)
        #expect(events.map(\.sequence) == Array(1...(writers * perWriter)))
        await store.close()
    }

    /// The writer tells a committed batch's waiters before it runs the next transaction's custom
    /// work, which may take long: here the next job waits until the first one's caller has returned.
    @Test func aCommittedBatchsWaitersDoNotWaitForTheNextTransactionsWork() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let first = DispatchSemaphore(value: 0)
        let second = DispatchSemaphore(value: 0)
        let held = Task { try await store.perform { _ in first.wait() } }
        while store.transactions < 1 { await Task.yield() }
        let next = Task { try await store.perform { _ in second.wait() } }
        while store.queue.pendingCount < 1 { await Task.yield() }
        first.signal()
        // Without the tell before the custom work, this would wait for `second`, which nobody signals yet.
        try await held.value
        second.signal()
        try await next.value
        await store.close()
    }

    /// Commits that arrive while a transaction is in flight all go into the next one.
    @Test func commitsArrivingDuringACommitShareTheNextTransaction() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let (run, definition) = Self.run()
        _ = try await store.insert(run, definition: definition)
        let gate = DispatchSemaphore(value: 0)
        // Holds the writer inside a transaction until every commit below is queued.
        let held = Task { try await store.perform { _ in gate.wait() } }
        while store.transactions < 2 { await Task.yield() }
        let before = store.transactions
        let commits = 40
        let all = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sequence in 1...commits {
                    group.addTask { try await store.commit([.event(RunEventRecord(runID: run.id, sequence: sequence, kind: "e"))]) }
                }
                try await group.waitForAll()
            }
        }
        while store.queue.pendingCount < commits { await Task.yield() }
        gate.signal()
        try await held.value
        try await all.value
        #expect(store.transactions - before == 1, "the held transaction, then one for all \(commits) commits")
        #expect(try await store.events(of: run.id).count == commits)
        await store.close()
    }

    /// A commit that finds the writer idle but the file's write lock held by another connection
    /// leaves the waiting to the writer thread: it hands what it took back, in order, and returns
    /// once the writer has committed it after the lock is released.
    @Test func aCommitThatFindsTheFileLockedLeavesTheWaitToTheWriter() async throws {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path)
        let (run, definition) = Self.run()
        _ = try await store.insert(run, definition: definition)
        let other = try SQLiteConnection(path: path, create: false, busyTimeout: 1000)
        try other.execute("BEGIN IMMEDIATE")
        let before = store.transactions
        store.submit([.event(RunEventRecord(runID: run.id, sequence: 0, kind: "submitted"))])
        let committed = Task { try await store.commit([.event(RunEventRecord(runID: run.id, sequence: 1, kind: "committed"))]) }
        // The writer's transaction has begun, and waits for the lock.
        while store.transactions == before { await Task.yield() }
        try other.execute("COMMIT")
        try await committed.value
        #expect(try await store.events(of: run.id).map(\.kind) == ["submitted", "committed"])
        await store.close()
    }
}
