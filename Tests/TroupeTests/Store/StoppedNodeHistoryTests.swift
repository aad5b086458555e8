import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A durable run that stops a node while its code still runs (at the run's deadline) records the
/// node's end then, before the run's own, as its live events show it; what the abandoned code
/// returns later is not recorded.
@Suite("Nodes stopped at a durable run's deadline", .timeLimit(.minutes(2)))
struct StoppedNodeHistoryTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// A store that counts the commits it is asked for.
    final class CommitCountingStore: ForwardingRunStore, @unchecked Sendable {
        private let count = LockedValue(0)

        /// How many commits were asked for so far.
        var commits: Int { count.withLock { $0 } }

        override func commit(_ writes: [StoreWrite]) async throws {
            count.withLock { $0 += 1 }
            try await super.commit(writes)
        }
    }

    @Test func aNodeStoppedAtTheDeadlineEndsBeforeTheRunAndItsLateReturnIsNotRecorded() async throws {
        let store = CommitCountingStore(try SQLiteRunStore(path: directory.file(), synchronous: .normal))
        let clock = VirtualClock()
        let gate = Gate()
        let runtime = WorkflowRuntime(clock: clock, store: store)
        try runtime.register(kind: "echo") { call in .string(call.nodeID) }
        // Ignores cancellation: it returns only once the gate opens, long after the deadline.
        try runtime.register(kind: "stuck") { (call: NodeCall) async throws -> JSONValue in
            await gate.pass()
            return .string(call.nodeID)
        }
        let definition = WorkflowDefinition(
            id: "late", nodes: [NodeDefinition("a", kind: "echo"), NodeDefinition("slow", kind: "stuck"), NodeDefinition("after", kind: "echo")],
            edges: [EdgeDefinition(from: "a", to: "slow"), EdgeDefinition(from: "slow", to: "after")], deadline: .seconds(10))
        let handle = runtime.start(try runtime.prepare(definition))
        await gate.waitForArrivals(1)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(10))
        var events: [WorkflowEvent] = []
        for await event in handle.events { events.append(event) }
        let result = try await handle.result
        #expect(result.status == .timedOut)
        #expect(result.nodes["slow"]?.status == .cancelled)
        let id = try #require(handle.runID)
        let atEnd = try await store.events(of: id)
        HistorySequenceTests.expectSameNumbering(events, atEnd)
        #expect(atEnd.last?.kind == "runEnded")
        #expect(atEnd.contains { $0.kind == "nodeCancelled" && $0.nodeID == "slow" }, "\(atEnd.map(\.kind))")
        #expect(atEnd.contains { $0.kind == "nodeCancelled" && $0.nodeID == "after" }, "the node that never started")
        #expect(try await store.attempts(of: id).first { $0.nodeID == "slow" }?.status == .cancelled)

        // The abandoned code returns: its pipeline's commit comes, with nothing new to record.
        let commits = store.commits
        gate.openAll()
        while store.commits == commits { await Task.yield() }
        try await store.commit([])
        #expect(try await store.events(of: id) == atEnd, "nothing recorded after the run's end")
        let slow = try #require(try await store.attempts(of: id).first { $0.nodeID == "slow" })
        #expect(slow.status == .cancelled && slow.output == nil, "the attempt stays as the deadline ended it")
        #expect(try await store.run(id)?.status == .timedOut)
        await store.close()
    }
}
