import Dispatch
import Foundation
import Testing

@_spi(Development) @testable import Troupe

/// An attempt's start submitted as a ``NodeAttemptStart``: its row is written by the next
/// transaction while the attempt runs, and only by its end once it has ended.
@Suite("Node attempt starts written lazily", .timeLimit(.minutes(1)))
struct NodeAttemptStartTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// A store with one inserted run, and that run as its journal follows it.
    private func store() async throws -> (SQLiteRunStore, JournaledRun) {
        let store = try SQLiteRunStore(path: directory.file())
        let (run, definition) = SQLiteRunStoreTests.run()
        _ = try await store.insert(run, definition: definition)
        return (store, JournaledRun(id: run.id))
    }

    @Test func aStartIsTakenOnlyBeforeItsAttemptEnds() {
        let ended = NodeAttemptStart(runID: RunID(), nodeID: "a", attempt: 1, startedAt: Date(), sequence: 1)
        ended.end()
        #expect(!ended.take(), "its end's write carries it")
        let taken = NodeAttemptStart(runID: RunID(), nodeID: "a", attempt: 1, startedAt: Date(), sequence: 1)
        #expect(taken.take())
        taken.end()
        #expect(taken.take(), "taken again for the transaction after a failed one, even once its attempt ended")
    }

    @Test func aStillRunningAttemptsStartIsCommittedByTheNextCommit() async throws {
        let (store, run) = try await store()
        let start = run.attemptStarting("a", attempt: 1)
        store.submit([.attemptStart(start)])
        // Any commit after it, here an unrelated history entry, makes it durable.
        try await store.commit([.event(run.event("marker"))])
        let attempts = try await store.attempts(of: run.id)
        #expect(attempts.map(\.status) == [.running])
        #expect(attempts.first?.attempt == 1)
        #expect(attempts.first?.startEvent?.kind == "nodeStarted")
        #expect(attempts.first?.startEvent?.details == ["attempt": 1])
        var end = run.attemptEnding("a", started: start.startedAt, kind: "nodeCompleted", at: Date()) { ["attempt": .integer($0)] }
        end.status = .completed
        end.output = 7
        try await store.commit([.attempt(end)])
        let ended = try await store.attempts(of: run.id)
        #expect(ended.map(\.status) == [.completed])
        #expect(ended.first?.output == 7)
        #expect(try await store.events(of: run.id).map(\.kind) == ["nodeStarted", "marker", "nodeCompleted"])
        await store.close()
    }

    @Test func anEndedAttemptsStartIsWrittenOnlyByItsEnd() async throws {
        let (store, run) = try await store()
        let gate = DispatchSemaphore(value: 0)
        // Holds the writer in a transaction of its own while the start and its end queue behind it.
        let held = Task { try await store.perform { _ in gate.wait() } }
        while store.transactions < 2 { await Task.yield() }
        let start = run.attemptStarting("a", attempt: 1)
        store.submit([.attemptStart(start)])
        var end = run.attemptEnding("a", started: start.startedAt, kind: "nodeCompleted", at: Date()) { ["attempt": .integer($0)] }
        end.status = .completed
        let committed = Task { try await store.commit([.attempt(end)]) }
        while store.queue.pendingCount < 2 { await Task.yield() }
        gate.signal()
        try await held.value
        try await committed.value
        #expect(!start.take(), "the writer did not take the start: its attempt had ended")
        let attempts = try await store.attempts(of: run.id)
        #expect(attempts.map(\.status) == [.completed])
        #expect(attempts.first?.startEvent?.kind == "nodeStarted", "the end carried the start's entry")
        #expect(try await store.events(of: run.id).map(\.kind) == ["nodeStarted", "nodeCompleted"])
        await store.close()
    }

    @Test func aSleepingAttemptsWakeKeepsItsStartsEntry() async throws {
        let (store, run) = try await store()
        let start = run.attemptStarting("a", attempt: 1)
        store.submit([.attemptStart(start)])
        let wake = Date(timeIntervalSince1970: 5_000)
        // As `RunJournal.sleepingTime` writes it: the running attempt's row without its entries.
        try await store.commit([
            .attempt(NodeAttemptRecord(runID: run.id, nodeID: "a", attempt: 1, status: .running, startedAt: start.startedAt, nextAttemptAt: wake))
        ])
        let attempts = try await store.attempts(of: run.id)
        #expect(attempts.first?.nextAttemptAt == wake)
        #expect(attempts.first?.startEvent?.kind == "nodeStarted")
        await store.close()
    }

    @Test func runsOfOneDefinitionWithoutAKeyAreInsertedAsRows() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let (first, definition) = SQLiteRunStoreTests.run()
        var second = first
        second.id = RunID()
        second.parentRunID = first.id
        second.deadline = Date(timeIntervalSince1970: 9_000)
        _ = try await store.insert(first, definition: definition)
        let inserted = try await store.insert(second, definition: definition)
        #expect(inserted.owner == store.owner)
        let read = try #require(try await store.run(second.id))
        #expect(read.parentRunID == first.id)
        #expect(read.deadline == second.deadline)
        #expect(read.input == first.input)
        #expect(read.metadata == first.metadata)
        #expect(read.owner == store.owner)
        #expect(read.status == .running)
        #expect(try await store.definition(definition.hash)?.json == definition.json)
        await store.close()
    }
}
