import Foundation
import Testing

@_spi(Development) @testable import Troupe

/// A durable parent's child workflow is a durable run of its own, and a resumed parent's
/// `workflow` node re-attaches to it: a completed child gives its stored output, a running one is
/// resumed with its completed nodes kept. A side counter proves what ran again.
@Suite("Child runs", .timeLimit(.minutes(2)))
struct ChildRunTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// `a` → `child` (`x` → `g` → `y`, `g` held at the gate) → `z`; every node counts its calls.
    static let parent: WorkflowDefinition = {
        let child: JSONValue = [
            "id": "inner", "version": "1.0.0",
            "nodes": [["id": "x", "kind": "count"], ["id": "g", "kind": "hold"], ["id": "y", "kind": "count"]],
            "edges": [["from": "x", "to": "g"], ["from": "g", "to": "y"]],
        ]
        return WorkflowDefinition(
            id: "outer",
            nodes: [
                NodeDefinition("a", kind: "count"), NodeDefinition("child", kind: "workflow", config: ["definition": child]),
                NodeDefinition("z", kind: "count"),
            ],
            edges: [EdgeDefinition(from: "a", to: "child"), EdgeDefinition(from: "child", to: "z")])
    }()

    /// The run of `store` that is not `parent`, the child.
    static func child(of parent: RunID, in store: SQLiteRunStore) async throws -> RunRecord? {
        try await store.runs(RunQuery()).first { $0.parentRunID == parent }
    }

    @Test func aDurableParentsChildIsARunNamedInTheNodesAttemptRow() async throws {
        let calls = NodeCallCounter()
        let gate = Gate()
        gate.openAll()
        let (runtime, store) = try DurableRunTests.runtime(directory.file(), calls: calls, gate: gate)
        let handle = runtime.start(try runtime.prepare(Self.parent))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["child"]?.output == ["y": "y"])
        let id = try #require(handle.runID)
        let child = try #require(try await Self.child(of: id, in: store))
        #expect(child.status == .completed)
        #expect(child.workflowID == "inner")
        #expect(child.output == ["x": "x", "g": "g", "y": "y"])
        let rows = try await store.attempts(of: id).filter { $0.nodeID == "child" }
        #expect(rows.map(\.status) == [.completed])
        #expect(rows.first?.childRunID == child.id)
        #expect(try await store.runs(RunQuery()).count == 2)
        await store.close()
    }

    /// The process dies while the child waits at `g` (`x` committed): the next one resumes the
    /// parent, whose node resumes the same child run; `x` does not run again.
    @Test func aResumedParentResumesItsRunningChildKeepingItsCompletedNodes() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let firstGate = Gate()
        // The first process's instances stay stuck at g.
        let handle = try await DurableRunTests.crash(Self.parent, at: path, calls: calls, gate: firstGate)
        let id = try #require(handle.runID)

        let gate = Gate()
        gate.openAll()
        let (second, store) = try DurableRunTests.runtime(path, calls: calls, gate: gate)
        let resumed = try await second.recover()
        #expect(resumed.map(\.runID) == [id], "the child is resumed by its parent's node, not by recover")
        let result = try await #require(resumed.first).result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["child"]?.output == ["y": "y"])
        #expect(calls.count("a") == 1)
        #expect(calls.count("x") == 1, "the child's completed node did not run again")
        #expect(calls.count("g") == 2)
        #expect(calls.count("y") == 1)
        #expect(calls.count("z") == 1)
        let runs = try await store.runs(RunQuery())
        #expect(runs.count == 2, "no second child run")
        let child = try #require(runs.first { $0.parentRunID == id })
        #expect(child.status == .completed)
        #expect(child.recoveryAttempts == 1)
        let rows = try await store.attempts(of: id).filter { $0.nodeID == "child" }
        #expect(rows.map(\.status) == [.running, .completed])
        #expect(rows.map(\.childRunID) == [child.id, child.id])
        firstGate.openAll()
        _ = try await handle.result
        await store.close()
    }

    /// A second process resumed the parent and died before its attempt's row named the child: the
    /// third finds the child through the first attempt's row.
    @Test func aCrashBeforeAnAttemptNamedItsChildStillFindsTheChild() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let firstGate = Gate()
        let (first, firstStore) = try DurableRunTests.runtime(path, calls: calls, gate: firstGate)
        let handle = first.start(try first.prepare(Self.parent))
        await firstGate.waitForArrivals(1)
        let id = try #require(handle.runID)
        // The second process's attempt 2 of `child`, as its crash left it: running, naming no child.
        try await firstStore.commit([.attempt(NodeAttemptRecord(runID: id, nodeID: "child", attempt: 2, status: .running, startedAt: Date()))])
        await firstStore.close()

        let gate = Gate()
        gate.openAll()
        let (third, store) = try DurableRunTests.runtime(path, calls: calls, gate: gate)
        let result = try await #require(try await third.recover().first).result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(calls.count("x") == 1)
        #expect(try await store.runs(RunQuery()).count == 2, "no second child run")
        firstGate.openAll()
        _ = try await handle.result
        await store.close()
    }

    /// The process dies after the child completed but before the parent's node did: the resumed
    /// node takes the child's stored output, running none of the child's nodes again.
    @Test func aResumedParentTakesItsCompletedChildsStoredOutput() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let gate = Gate()
        gate.openAll()
        let (first, firstStore) = try DurableRunTests.runtime(path, calls: calls, gate: gate)
        let held = Gate()
        first.use(HoldAfterNode(node: "child", gate: held))
        let handle = first.start(try first.prepare(Self.parent))
        await held.waitForArrivals(1)
        let id = try #require(handle.runID)
        try await firstStore.commit([])
        await firstStore.close()

        let (second, store) = try DurableRunTests.runtime(path, calls: calls, gate: gate)
        let result = try await #require(try await second.recover().first).result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["child"]?.output == ["y": "y"])
        #expect(["x", "g", "y"].map(calls.count) == [1, 1, 1], "no node of the child ran again")
        #expect(calls.count("z") == 1)
        #expect(try await store.runs(RunQuery()).count == 2)
        let child = try #require(try await Self.child(of: id, in: store))
        #expect(try await store.attempts(of: id).filter { $0.nodeID == "child" }.map(\.childRunID) == [child.id, child.id])
        held.openAll()
        _ = try await handle.result
        await store.close()
    }

    @Test func cancellingTheParentCancelsItsChildRun() async throws {
        let (runtime, store) = try DurableRunTests.runtime(directory.file(), calls: NodeCallCounter(), gate: Gate())
        let child: JSONValue = ["id": "inner", "version": "1.0.0", "nodes": [["id": "w", "kind": "wait"]]]
        let workflow = WorkflowDefinition(id: "outer", nodes: [NodeDefinition("child", kind: "workflow", config: ["definition": child])])
        let handle = runtime.start(try runtime.prepare(workflow))
        let id = try #require(handle.runID)
        // The child's instance is the runtime's second running one once it has started.
        for await event in runtime.events() {
            if case .nodeWaiting("w", _) = event.kind { break }
        }
        handle.cancel()
        #expect(try await handle.result.status == .cancelled)
        let childRun = try #require(try await Self.child(of: id, in: store))
        #expect(childRun.status == .cancelled)
        #expect(childRun.errorType == "ParentStopped")
        #expect(childRun.error == "cancelled because node child of its parent run \(id) stopped waiting for it")
        await store.close()
    }

    /// Many parents at once, each with its child run: all complete, each child names its parent.
    @Test func stressManyParentsWithChildRuns() async throws {
        let gate = Gate()
        gate.openAll()
        let (runtime, store) = try DurableRunTests.runtime(directory.file(), calls: NodeCallCounter(), gate: gate)
        let workflow = try runtime.prepare(Self.parent)
        let handles = (0..<30).map { _ in runtime.start(workflow) }
        for handle in handles { #expect(try await handle.result.status == .completed) }
        let runs = try await store.runs(RunQuery(limit: 1000))
        #expect(runs.count == 60)
        let parents = Set(handles.compactMap(\.runID))
        #expect(runs.filter { $0.parentRunID != nil }.allSatisfy { parents.contains($0.parentRunID!) && $0.status == .completed })
        #expect(Set(runs.compactMap(\.parentRunID)) == parents)
        await store.close()
    }
}
