import Foundation
import Synchronization
import Testing

@_spi(Development) @testable import Troupe

/// A runtime with a store: what it records, the completion-before-report guarantee, idempotency,
/// and resuming after a crash (simulated by giving up a store's ownership while its run is mid-way).
@Suite("Durable runs", .timeLimit(.minutes(2)))
struct DurableRunTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// A runtime on a store of the test's file, with `echo`, `count` (counts calls per node and
    /// outputs its node id) and `hold` (waits at the gate, then outputs its node id).
    static func runtime(_ path: String, calls: NodeCallCounter, gate: Gate) throws -> (WorkflowRuntime, SQLiteRunStore) {
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        return (try runtime(on: store, calls: calls, gate: gate), store)
    }

    /// Starts `definition` in a runtime on `path` whose `hold` nodes wait at `gate` and, once one
    /// waits (and `beforeCrashing` ran), "crashes" it: its store gives up its runs while the
    /// instance stays stuck at the gate. Returns the instance's handle.
    static func crash(
        _ definition: WorkflowDefinition, at path: String, calls: NodeCallCounter = NodeCallCounter(), gate: Gate,
        beforeCrashing: (WorkflowHandle) async -> Void = { _ in }
    ) async throws -> WorkflowHandle {
        let (first, store) = try runtime(path, calls: calls, gate: gate)
        let handle = first.start(try first.prepare(definition))
        await gate.waitForArrivals(1)
        await beforeCrashing(handle)
        try await store.commit([])
        await store.close()
        return handle
    }

    /// The same runtime on `store`.
    static func runtime(on store: any RunStore, calls: NodeCallCounter, gate: Gate) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(store: store)
        try runtime.register(kind: "echo") { call in .string(call.nodeID) }
        try runtime.register(kind: "count") { call in
            calls.increment(call.nodeID)
            return .string(call.nodeID)
        }
        try runtime.register(kind: "hold") { (call: NodeCall) async throws -> JSONValue in
            calls.increment(call.nodeID)
            await gate.pass()
            return .string(call.nodeID)
        }
        try runtime.register(kind: "key") { call in .string(call.idempotencyKey ?? "none") }
        return runtime
    }

    static let chain = WorkflowDefinition(
        id: "chain", nodes: [NodeDefinition("a", kind: "count"), NodeDefinition("b", kind: "count"), NodeDefinition("c", kind: "hold")],
        edges: [EdgeDefinition(from: "a", to: "b"), EdgeDefinition(from: "b", to: "c")])

    @Test func aRunIsRecordedWithItsAttemptsHistoryAndEnd() async throws {
        let calls = NodeCallCounter()
        let gate = Gate()
        gate.openAll()
        let (runtime, store) = try Self.runtime(directory.file(), calls: calls, gate: gate)
        let handle = runtime.start(try runtime.prepare(Self.chain), input: ["n": 1])
        let result = try await handle.result
        #expect(result.status == .completed)
        let id = try #require(handle.runID)
        let run = try #require(try await store.run(id))
        #expect(run.status == .completed)
        #expect(run.input == ["n": 1])
        #expect(run.output == ["a": "a", "b": "b", "c": "c"])
        #expect(run.nodesCompleted == 3)
        #expect(run.owner == nil)
        let attempts = try await store.attempts(of: id)
        #expect(attempts.map(\.nodeID) == ["a", "b", "c"])
        #expect(attempts.allSatisfy { $0.status == .completed && $0.attempt == 1 })
        let kinds = try await store.events(of: id).map(\.kind)
        #expect(kinds.first == "runStarted")
        #expect(kinds.last == "runEnded")
        #expect(kinds.filter { $0 == "nodeCompleted" }.count == 3)
        let definition = try #require(try await store.definition(run.definitionHash))
        #expect(definition.components.arrayValue?.count == 2, "executors count and hold")
        await store.close()
    }

    /// When a node's completion event is published, its completion is already in the store.
    @Test func aNodeIsReportedCompletedOnlyAfterItsCompletionIsCommitted() async throws {
        let calls = NodeCallCounter()
        let gate = Gate()
        gate.openAll()
        let (runtime, store) = try Self.runtime(directory.file(), calls: calls, gate: gate)
        let handle = runtime.start(try runtime.prepare(Fixtures.chain(["a", "b", "c", "d"], kind: "count")))
        let id = try #require(handle.runID)
        var checked = 0
        for await event in handle.events {
            guard case .nodeCompleted(let node, _) = event.kind else { continue }
            let attempts = try await store.attempts(of: id)
            #expect(attempts.contains { $0.nodeID == node && $0.status == .completed }, "\(node) reported before its commit")
            checked += 1
        }
        #expect(checked == 4)
        await store.close()
    }

    @Test func everyCallCarriesItsRunAndNodeAsIdempotencyKey() async throws {
        let (runtime, store) = try Self.runtime(directory.file(), calls: NodeCallCounter(), gate: Gate())
        let handle = runtime.start(try runtime.prepare(Fixtures.chain(["x"], kind: "key")))
        let result = try await handle.result
        let id = try #require(handle.runID)
        #expect(result.nodes["x"]?.output == .string("\(id)/x"))
        await store.close()
    }

    /// A durable node's child workflow is a run of its own, whose calls' keys extend the node's key.
    @Test func aChildWorkflowsCallsExtendTheirNodesKey() async throws {
        let (runtime, store) = try Self.runtime(directory.file(), calls: NodeCallCounter(), gate: Gate())
        let child: JSONValue = ["id": "inner", "version": "1.0.0", "nodes": [["id": "x", "kind": "key"]]]
        let workflow = WorkflowDefinition(id: "outer", nodes: [NodeDefinition("child", kind: "workflow", config: ["definition": child])])
        let handle = runtime.start(try runtime.prepare(workflow))
        let result = try await handle.result
        let id = try #require(handle.runID)
        #expect(result.nodes["child"]?.output == ["x": .string("\(id)/child/x")])
        let runs = try await store.runs(RunQuery())
        #expect(runs.count == 2, "the child is a run of its own")
        #expect(runs.first { $0.id != id }?.parentRunID == id)
        await store.close()
    }

    /// `run(_:)` runs in memory even on a runtime with a store: nothing is recorded.
    @Test func runInTheCallingTaskRecordsNothing() async throws {
        let (runtime, store) = try Self.runtime(directory.file(), calls: NodeCallCounter(), gate: Gate())
        let result = await runtime.run(try runtime.prepare(Fixtures.chain(["a", "b"], kind: "key")))
        #expect(result.status == .completed)
        #expect(result.nodes["a"]?.output == "none")
        #expect(try await store.runs(RunQuery()).isEmpty)
        await store.close()
    }

    @Test func startingWithAnIdempotencyKeyTwiceGivesTheSameRun() async throws {
        let gate = Gate()
        let (runtime, store) = try Self.runtime(directory.file(), calls: NodeCallCounter(), gate: gate)
        let workflow = try runtime.prepare(Self.chain)
        let first = try await runtime.start(workflow, idempotencyKey: "order-1")
        let second = try await runtime.start(workflow, idempotencyKey: "order-1")
        #expect(first.run.id == second.run.id)
        #expect(second.handle?.id == first.handle?.id, "the live instance of the first start")
        gate.openAll()
        _ = try await first.handle?.result
        let third = try await runtime.start(workflow, idempotencyKey: "order-1")
        #expect(third.run.id == first.run.id)
        #expect(third.run.status == .completed)
        #expect(third.handle == nil, "an ended run has no live instance")
        #expect(try await store.runs(RunQuery()).count == 1)
        await store.close()
    }

    /// A process dies with `a` and `b` committed and `c` running: the next process runs only `c`,
    /// as attempt 2, and ends the run with every output.
    @Test func aCrashedRunResumesWithoutRunningCommittedNodesAgain() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let firstGate = Gate()
        // The first process's instance stays stuck at c.
        let handle = try await Self.crash(Self.chain, at: path, calls: calls, gate: firstGate)
        let id = try #require(handle.runID)

        let gate = Gate()
        gate.openAll()
        let (second, store) = try Self.runtime(path, calls: calls, gate: gate)
        let resumed = try await second.recover()
        #expect(resumed.map(\.runID) == [id])
        let result = try await #require(resumed.first).result
        #expect(result.status == .completed)
        #expect(result.nodes["a"]?.output == "a", "a kept its stored output")
        #expect(result.nodes["c"]?.output == "c")
        #expect(calls.count("a") == 1)
        #expect(calls.count("b") == 1)
        #expect(calls.count("c") == 2)
        let attempts = try await store.attempts(of: id).filter { $0.nodeID == "c" }
        #expect(attempts.map(\.attempt) == [1, 2])
        // The live side numbers attempts as the store does: on from the crashed process's.
        #expect(result.nodes["c"]?.attempts == 2)
        let kinds = try await #require(resumed.first).eventKinds()
        #expect(kinds.contains(.nodeStarted(node: "c", attempt: 2)), "\(kinds)")
        #expect(attempts.map(\.status) == [.running, .completed])
        let run = try #require(try await store.run(id))
        #expect(run.status == .completed)
        #expect(run.recoveryAttempts == 1)
        let sequences = try await store.events(of: id).map(\.sequence)
        #expect(sequences == Array(0..<sequences.count), "the history is gapless across the resume")
        #expect(try await second.recover().isEmpty, "nothing left to resume")
        firstGate.openAll()
        _ = try await handle.result
        await store.close()
    }

    @Test func aRunWhoseComponentsNoLongerResolveIsBlocked() async throws {
        let path = directory.file()
        let gate = Gate()
        let handle = try await Self.crash(Self.chain, at: path, gate: gate)
        // The next process has no `hold` kind.
        let store = try SQLiteRunStore(path: path)
        let second = WorkflowRuntime(store: store)
        try second.register(kind: "count") { call in .string(call.nodeID) }
        #expect(try await second.recover().isEmpty)
        let id = try #require(handle.runID)
        let run = try #require(try await store.run(id))
        #expect(run.status == .blocked)
        #expect(run.error?.contains("no longer prepares") == true, "\(run.error ?? "")")
        gate.openAll()
        await store.close()
    }

    @Test func aCrashLoopStopsAtTheRecoveryLimit() async throws {
        let path = directory.file()
        let gate = Gate()
        let handle = try await Self.crash(Self.chain, at: path, gate: gate)
        let (second, store) = try Self.runtime(path, calls: NodeCallCounter(), gate: gate)
        #expect(try await second.recover(maximumRecoveryAttempts: 0).isEmpty)
        let id = try #require(handle.runID)
        let run = try #require(try await store.run(id))
        #expect(run.status == .failed)
        #expect(run.errorType == "RecoveryLimit")
        gate.openAll()
        await store.close()
    }

    @Test func aPausedRunStaysPausedUntilResumedByName() async throws {
        let path = directory.file()
        let gate = Gate()
        let handle = try await Self.crash(Self.chain, at: path, gate: gate) { #expect(await $0.pause()) }
        let id = try #require(handle.runID)
        let open = Gate()
        open.openAll()
        let (second, store) = try Self.runtime(path, calls: NodeCallCounter(), gate: open)
        #expect(try await store.run(id)?.status == .paused)
        #expect(try await second.recover().isEmpty, "paused runs are not recovered")
        let resumed = try await second.resume(id)
        #expect(try await resumed.result.status == .completed)
        #expect(try await store.run(id)?.status == .completed)
        gate.openAll()
        await store.close()
    }

    @Test func aFailedWriteFailsTheRunWithTheStoreError() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal, busyTimeout: .seconds(1), maximumPageCount: 20)
        let runtime = WorkflowRuntime(store: store)
        try runtime.register(kind: "big") { _ in .string(String(repeating: "x", count: 200_000)) }
        let result = try await runtime.start(try runtime.prepare(Fixtures.chain(["a", "b"], kind: "big"))).result
        #expect(result.status == .failed)
        #expect(result.nodes["a"]?.errorType == "StoreError" || result.nodes["a"]?.error?.contains("full") == true)
        #expect(result.nodes["a"]?.error?.contains(store.path) == true, "\(result.nodes["a"]?.error ?? "")")
        #expect(result.nodes["b"]?.status == .skipped)
        await store.close()
    }

    /// Completions handed to a busy writer with their wait (``SQLiteRunStore/submit(_:resumingOnCommit:)``) fail with the store's error too.
    @Test func manyRunsOnAFullStoreAllFailWithTheStoreError() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal, busyTimeout: .seconds(1), maximumPageCount: 40)
        let runtime = WorkflowRuntime(store: store)
        try runtime.register(kind: "big") { _ in .string(String(repeating: "x", count: 20_000)) }
        let workflow = try runtime.prepare(Fixtures.chain(["a", "b", "c"], kind: "big"))
        let handles = (0..<40).map { _ in runtime.start(workflow) }
        var failed = 0
        for handle in handles {
            let result = try await handle.result
            guard result.status == .failed else { continue }
            failed += 1
            let errors = result.nodes.values.compactMap(\.error)
            #expect(errors.contains { $0.contains(store.path) }, "\(errors)")
        }
        #expect(failed > 0, "40 runs of 60 KB each do not fit in 160 KB")
        await store.close()
    }

    /// Many durable instances at once on one store: every run ends recorded completed.
    @Test func manyConcurrentRunsAreAllRecorded() async throws {
        let (runtime, store) = try Self.runtime(directory.file(), calls: NodeCallCounter(), gate: Gate())
        let workflow = try runtime.prepare(Fixtures.diamond(branches: 4, kind: "echo"))
        let handles = (0..<200).map { _ in runtime.start(workflow) }
        for handle in handles { #expect(try await handle.result.status == .completed) }
        let runs = try await store.runs(RunQuery(limit: 1000))
        #expect(runs.count == 200)
        #expect(runs.allSatisfy { $0.status == .completed && $0.nodesCompleted == 6 })
        await store.close()
    }
}

/// Counts calls per node from many tasks.
final class NodeCallCounter: Sendable {
    private let counts = LockedValue<[String: Int]>([:])

    func increment(_ node: String) { counts.withLock { $0[node, default: 0] += 1 } }

    func count(_ node: String) -> Int { counts.withLock { $0[node] ?? 0 } }
}
