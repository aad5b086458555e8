import Foundation
import Testing

@testable import Troupe

/// Writes of one attempt's row in one transaction, which the SQLite store merges into one row
/// write (and whose starts it encodes only when nothing later carries them), against the same
/// writes committed one transaction each, which it writes as they come.
@Suite("SQLite store: writes of one attempt merged in a transaction", .timeLimit(.minutes(1)))
struct AttemptMergeTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    static let started = Date(timeIntervalSince1970: 1_000.25)
    static let ended = Date(timeIntervalSince1970: 1_002.5)

    static func start(_ run: RunID, attempt: Int = 1, sequence: Int = 1) -> NodeAttemptStart {
        NodeAttemptStart(runID: run, nodeID: "a", attempt: attempt, startedAt: started, sequence: sequence)
    }

    static func end(_ run: RunID, kind: String = "nodeCompleted", attempt: Int = 1, sequence: Int = 2) -> RunEventRecord {
        RunEventRecord(runID: run, sequence: sequence, date: ended, kind: kind, nodeID: "a", details: ["attempt": .integer(attempt)])
    }

    /// An attempt's row as the journal writes it when it ends: its start's columns and entry, and its end.
    static func completed(_ run: RunID, attempt: Int = 1, carriesStart: Bool = true) -> NodeAttemptRecord {
        var row = start(run, attempt: attempt).record
        if !carriesStart { row.startEvent = nil }
        row.status = .completed
        row.endedAt = ended
        row.output = ["sum": 3]
        row.endEvent = end(run, attempt: attempt)
        return row
    }

    /// ``completed(_:attempt:carriesStart:)``'s first attempt as the journal hands it to the SQLite store.
    static func completion(_ run: RunID) -> NodeAttemptCompletion {
        NodeAttemptCompletion(start: start(run), endedAt: ended, output: ["sum": 3], sequence: 2)
    }

    /// The writes of one run's attempt, in the order a durable run hands them over.
    static let scenarios: [(name: String, writes: @Sendable (RunID) -> [StoreWrite])] = [
        ("a start, then its end carrying it", { [.attemptStart(start($0)), .attempt(completed($0))] }),
        ("a start alone", { [.attemptStart(start($0))] }),
        ("a later attempt's start alone", { [.attemptStart(start($0, attempt: 3))] }),
        (
            "a start, then a sleep's wake-up without its entry",
            { run in
                var wake = NodeAttemptRecord(runID: run, nodeID: "a", attempt: 1, status: .running, startedAt: started)
                wake.nextAttemptAt = ended
                return [.attemptStart(start(run)), .attempt(wake)]
            }
        ),
        (
            "a start, its failure, then its end",
            { run in
                var failed = start(run).record
                failed.status = .failed
                failed.error = "no"
                failed.errorType = "E"
                return [.attemptStart(start(run)), .attempt(failed), .attempt(completed(run))]
            }
        ),
        (
            "a start, then a retry's end that does not carry it",
            { run in
                var retrying = NodeAttemptRecord(runID: run, nodeID: "a", attempt: 1, status: .failed, startedAt: started, endedAt: ended)
                retrying.nextAttemptAt = ended.addingTimeInterval(1)
                retrying.endEvent = end(run, kind: "nodeRetrying")
                return [.attemptStart(start(run)), .attempt(retrying)]
            }
        ),
        (
            "an end, then a later write of the row without one",
            { run in
                var child = completed(run, carriesStart: false)
                child.endEvent = nil
                child.childRunID = RunID(date: started)
                return [.attempt(completed(run)), .attempt(child)]
            }
        ),
        ("an end, then a start of the same attempt", { [.attempt(completed($0)), .attemptStart(start($0))] }),
        ("two starts of one attempt", { [.attemptStart(start($0)), .attemptStart(start($0, sequence: 4))] }),
    ]

    /// A run's attempts and history as `store` holds them.
    static func stored(_ store: SQLiteRunStore, _ run: RunID) async throws -> (attempts: [NodeAttemptRecord], events: [RunEventRecord]) {
        (try await store.attempts(of: run), try await store.events(of: run))
    }

    /// Hands `scenario`'s writes to one store with `handOver` and commits them to another a
    /// transaction each, then expects both to hold the same rows and history.
    func expectSameRows(_ scenario: Int, handOver: (SQLiteRunStore, RunID, [StoreWrite]) async throws -> Void) async throws {
        let handed = try SQLiteRunStore(path: directory.file("handed.db"))
        let apart = try SQLiteRunStore(path: directory.file("apart.db"))
        let (run, definition) = SQLiteRunStoreTests.run()
        _ = try await handed.insert(run, definition: definition)
        _ = try await apart.insert(run, definition: definition)
        let writes = Self.scenarios[scenario].writes(run.id)
        try await handOver(handed, run.id, writes)
        for write in writes { try await apart.commit([write]) }
        let (handedRows, apartRows) = (try await Self.stored(handed, run.id), try await Self.stored(apart, run.id))
        #expect(handedRows.attempts == apartRows.attempts, "\(Self.scenarios[scenario].name)")
        #expect(handedRows.events == apartRows.events, "\(Self.scenarios[scenario].name)")
        #expect(!handedRows.attempts.isEmpty)
        await handed.close()
        await apart.close()
    }

    @Test("one transaction stores what one per write does", arguments: scenarios.indices)
    func oneTransactionStoresWhatOnePerWriteDoes(_ scenario: Int) async throws {
        try await expectSameRows(scenario) { store, _, writes in try await store.commit(writes) }
    }

    @Test(
        "writes handed over a job each, starts and completions as the journal hands them, store what one transaction per write does",
        arguments: scenarios.indices)
    func jobsStoreWhatOnePerWriteDoes(_ scenario: Int) async throws {
        try await expectSameRows(scenario) { store, run, writes in
            for write in writes {
                switch write {
                case .attemptStart(let start): store.submit(start: start)
                case .attempt(let row) where row == Self.completion(run).record: store.submit(.completion(Self.completion(run)))
                default: store.submit([write])
                }
            }
            // The submitted jobs go with this commit, in one transaction or over two if the writer
            // took the first ones alone: the stored rows must be the same either way.
            try await store.commit([])
        }
    }

    @Test func aCompletionIsTheRowItsEndWouldWrite() {
        let run = RunID(date: Self.started)
        #expect(Self.completion(run).record == Self.completed(run))
    }

    @Test func aStartAndItsEndInOneTransactionLeaveOneRowWithBothEntries() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let (run, definition) = SQLiteRunStoreTests.run()
        _ = try await store.insert(run, definition: definition)
        try await store.commit([.attemptStart(Self.start(run.id)), .attempt(Self.completed(run.id))])
        let attempts = try await store.attempts(of: run.id)
        #expect(attempts.count == 1)
        #expect(attempts.first?.status == .completed)
        #expect(attempts.first?.output == ["sum": 3])
        let events = try await store.events(of: run.id)
        #expect(events.map(\.kind) == ["nodeStarted", "nodeCompleted"])
        #expect(events.map(\.sequence) == [1, 2])
        #expect(events.first?.details == ["attempt": 1])
        await store.close()
    }

    @Test func aStartAloneIsStoredRunningWithItsEntry() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let (run, definition) = SQLiteRunStoreTests.run()
        _ = try await store.insert(run, definition: definition)
        store.submit([.attemptStart(Self.start(run.id, attempt: 2, sequence: 7))])
        try await store.commit([])
        let attempt = try #require(try await store.attempts(of: run.id).first)
        #expect(attempt.status == .running)
        #expect(attempt.attempt == 2)
        #expect(attempt.startedAt == Self.started)
        let events = try await store.events(of: run.id)
        #expect(events == [RunEventRecord(runID: run.id, sequence: 7, date: Self.started, kind: "nodeStarted", nodeID: "a", details: ["attempt": 2])])
        await store.close()
    }
}
