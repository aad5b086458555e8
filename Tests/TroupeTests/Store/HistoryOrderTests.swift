import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A durable run's history entries reach the store in the order of their numbers, nodes running
/// side by side included: writes commit in the order they were handed over, so a crash can lose
/// only a run's last entries and never leave a gap between two it kept.
@Suite("History entries handed to the store in order", .timeLimit(.minutes(2)))
struct HistoryOrderTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// A store that forwards to an SQLite store and records, run by run, the numbers of the history
    /// entries in the writes it is handed, in the order it is handed them.
    final class OrderRecordingStore: ForwardingRunStore, @unchecked Sendable {
        private let handed = LockedValue<[RunID: [Int]]>([:])

        /// Each run's entry numbers as they were handed over, a number written again (an attempt's
        /// row written once more with its start entry) counted where it first came.
        var numbers: [RunID: [Int]] { handed.withLock { $0 } }

        private func record(_ writes: [StoreWrite]) {
            handed.withLock { handed in
                for write in writes {
                    let entries: [RunEventRecord] =
                        switch write {
                        case .event(let entry): [entry]
                        case .attempt(let attempt): [attempt.startEvent, attempt.endEvent].compactMap { $0 }
                        case .attemptStart(let start): [start.record.startEvent].compactMap { $0 }
                        default: []
                        }
                    for entry in entries where !(handed[entry.runID] ?? []).contains(entry.sequence) {
                        handed[entry.runID, default: []].append(entry.sequence)
                    }
                }
            }
        }

        override func commit(_ writes: [StoreWrite]) async throws {
            record(writes)
            try await base.commit(writes)
        }

        override func submit(_ writes: [StoreWrite]) {
            record(writes)
            base.submit(writes)
        }
    }

    @Test("stress: entries of branches running side by side are handed over in the order of their numbers")
    func branchesHandTheirEntriesOverInOrder() async throws {
        let store = OrderRecordingStore(try SQLiteRunStore(path: directory.file(), synchronous: .normal))
        let runtime = WorkflowRuntime(store: store)
        try runtime.register(kind: "echo") { call in .string(call.nodeID) }
        // Each branch suspends once, so that the branches of one run go on in different threads.
        try runtime.register(kind: "yield") { (call: NodeCall) async throws -> JSONValue in
            await Task.yield()
            return .string(call.nodeID)
        }
        let workflow = try runtime.prepare(Fixtures.diamond(branches: 16, kind: "yield"))
        let handles = (0..<40).map { _ in runtime.start(workflow) }
        for handle in handles { #expect(try await handle.result.status == .completed) }
        let numbers = store.numbers
        #expect(numbers.count == handles.count)
        for (run, handed) in numbers {
            // 18 nodes, a start and an end entry each, and the run's start and end.
            #expect(handed == Array(0..<38), "run \(run) handed its entries over as \(handed)")
            #expect(try await store.events(of: run).map(\.sequence) == Array(0..<38), "run \(run)'s stored history")
        }
        await store.close()
    }

    /// A retry reported and then given up (the run cancelled in its back-off): the node's end is
    /// an entry of its own beside the attempt's `nodeRetrying`, not written over it.
    @Test func aRetryGivenUpInItsBackOffKeepsItsEntryBesideTheNodesEnd() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let clock = VirtualClock()
        let runtime = try ResumedRetryTests.runtime(store, clock: clock, calls: NodeCallCounter())
        let handle = runtime.start(try runtime.prepare(ResumedRetryTests.retrying(RetryPolicy(maximumAttempts: 3, initialInterval: .seconds(60)))))
        await clock.waitForSleepers(1)
        handle.cancel()
        #expect(try await handle.result.status == .cancelled)
        let history = try await store.events(of: try #require(handle.runID))
        #expect(history.map(\.sequence) == Array(0..<history.count), "gapless: \(history.map { "\($0.sequence) \($0.kind)" })")
        #expect(history.map(\.kind) == ["runStarted", "nodeStarted", "nodeRetrying", "nodeCancelled", "runEnded"])
        await store.close()
    }
}
