import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A durable run whose only runnable node is a `wait` node parks there as an in-memory one does,
/// and its store records the wait as the node's pipeline would: the attempt, `nodeWaiting` and
/// `nodeSignalled` where the live events have them, and a completion committed before it is reported.
@Suite("Durable runs parked at a wait node", .timeLimit(.minutes(2)))
struct DurableParkingTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// `first` → `approval` (wait) → `last`.
    private func approvalFlow(waitConfig: JSONValue = .null) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "approval",
            nodes: [
                NodeDefinition("first", kind: "echo"), NodeDefinition("approval", kind: "wait", config: waitConfig),
                NodeDefinition("last", kind: "echo"),
            ],
            edges: [EdgeDefinition(from: "first", to: "approval"), EdgeDefinition(from: "approval", to: "last")])
    }

    private func runtime(_ store: any RunStore, clock: any Clock<Duration> = ContinuousClock()) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(clock: clock, store: store, requestPollInterval: .seconds(3600))
        try runtime.register(kind: "echo") { call in .string(call.nodeID) }
        return runtime
    }

    private func untilParked(_ handle: WorkflowHandle) async {
        while await !handle.instance.isParked { await Task.yield() }
    }

    /// Each node's entries as `kind node`, live or stored.
    private func nodeEntries(_ events: [WorkflowEvent]) -> [String] {
        events.map { $0.kind.label.split(separator: " ").prefix(2).joined(separator: " ") }.filter { $0.contains(" ") }
    }

    @Test("parked, the run stays running in the store and is polled for; signalled, it completes and its history matches its events")
    func parkedAndSignalled() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try runtime(store)
        let handle = runtime.start(try runtime.prepare(approvalFlow()))
        await untilParked(handle)
        let id = try #require(handle.runID)
        let requests = try #require(runtime.requests)
        #expect(requests.isWatching, "a parked run is still polled for signals from other processes")
        try await store.commit([])
        #expect(try await store.run(id)?.status == .running)
        let waiting = try #require(try await store.attempts(of: id).first { $0.nodeID == "approval" })
        #expect(waiting.status == .running)
        #expect(try await store.events(of: id).last?.kind == "nodeWaiting")
        #expect(handle.signal("approval", "yes"))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["approval"]?.output == "yes")
        #expect(!requests.isWatching, "the watcher stops with the last run, which ended in its signal's task")
        let approval = try #require(try await store.attempts(of: id).first { $0.nodeID == "approval" })
        #expect(approval.status == .completed && approval.output == "yes")
        var live: [WorkflowEvent] = []
        for await event in handle.events { live.append(event) }
        let stored = try await store.events(of: id)
        #expect(stored.map(\.sequence) == live.map(\.sequence))
        #expect(stored.compactMap { entry in entry.nodeID.map { "\(entry.kind) \($0)" } } == nodeEntries(live))
        #expect(runtime.running.isEmpty)
        await store.close()
    }

    @Test("a durable child run parked at a wait node nests as deep after its wait as before it")
    func parkedChildKeepsItsDepth() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try runtime(store)
        try runtime.register(kind: "depth") { _ in .integer(ChildWorkflowExecutor.depth) }
        let child = WorkflowDefinition(
            id: "child",
            nodes: [NodeDefinition("before", kind: "depth"), NodeDefinition("w", kind: "wait"), NodeDefinition("after", kind: "depth")],
            edges: [EdgeDefinition(from: "before", to: "w"), EdgeDefinition(from: "w", to: "after")])
        let parent = WorkflowDefinition(id: "parent", nodes: [NodeDefinition("sub", kind: "workflow", config: ["definition": child.jsonValue])])
        let handle = runtime.start(try runtime.prepare(parent))
        var childHandle: WorkflowHandle?
        while childHandle == nil {
            childHandle = runtime.running.first { $0.id != handle.id }
            await Task.yield()
        }
        let parked = try #require(childHandle)
        await untilParked(parked)
        #expect(parked.signal("w", "go"))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["sub"]?.output == ["after": 1])
        await store.close()
    }

    @Test("a signal whose completion cannot be committed fails the parked node with the store's error: it never reports completed")
    func uncommittedSignal() async throws {
        let store = FailingCommits(try SQLiteRunStore(path: directory.file(), synchronous: .normal))
        let runtime = try runtime(store)
        let handle = runtime.start(try runtime.prepare(approvalFlow()))
        await untilParked(handle)
        store.failing.withLock { $0 = true }
        #expect(handle.signal("approval", "yes"))
        let result = try await handle.result
        await FailingCommits.expectFailedUncommitted("approval", before: "last", in: result, of: handle)
        await store.close()
    }

    @Test("a parked durable wait's timeout fails the node on record as in its task: nodeFailed with SignalTimeout")
    func parkedTimeout() async throws {
        let clock = VirtualClock()
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try runtime(store, clock: clock)
        let handle = runtime.start(try runtime.prepare(approvalFlow(waitConfig: ["timeout": 60])))
        await untilParked(handle)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(60))
        let result = try await handle.result
        #expect(result.status == .failed)
        #expect(result.nodes["approval"]?.errorType == "SignalTimeout")
        let id = try #require(handle.runID)
        let approval = try #require(try await store.attempts(of: id).first { $0.nodeID == "approval" })
        #expect(approval.status == .failed && approval.errorType == "SignalTimeout")
        let entries = try await store.events(of: id).filter { $0.nodeID == "approval" }.map(\.kind)
        #expect(entries == ["nodeStarted", "nodeWaiting", "nodeFailed"])
        #expect(try await store.run(id)?.status == .failed)
        await store.close()
    }

    @Test("a cancel while parked records the wait's attempt cancelled and the run cancelled")
    func parkedCancel() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try runtime(store)
        let handle = runtime.start(try runtime.prepare(approvalFlow()))
        await untilParked(handle)
        handle.cancel()
        let result = try await handle.result
        #expect(result.status == .cancelled)
        let id = try #require(handle.runID)
        #expect(try await store.attempts(of: id).first { $0.nodeID == "approval" }?.status == .cancelled)
        #expect(try await store.run(id)?.status == .cancelled)
        #expect(try await store.events(of: id).last?.kind == "runEnded")
        await store.close()
    }

    @Test("a run parked when its process died parks again when resumed, and a signal recorded meanwhile completes it; first does not run again")
    func resumedParkedRun() async throws {
        let path = directory.file()
        let firstStore = try SQLiteRunStore(path: path, synchronous: .normal)
        let first = try runtime(firstStore)
        let handle = first.start(try first.prepare(approvalFlow()))
        await untilParked(handle)
        let id = try #require(handle.runID)
        // "Crash": the store gives up its runs with the instance still parked.
        try await firstStore.commit([])
        await firstStore.close()

        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let second = try runtime(store)
        let resumed = try #require(try await second.recover().first)
        await untilParked(resumed)
        let senderStore = try SQLiteRunStore(path: path, synchronous: .normal)
        #expect(try await runtime(senderStore).signal(id, "approval", "later") == .recorded)
        try await #require(second.requests).poll()
        let result = try await resumed.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["approval"]?.output == "later")
        let attempts = try await store.attempts(of: id)
        #expect(attempts.filter { $0.nodeID == "first" }.count == 1, "first did not run again")
        #expect(attempts.filter { $0.nodeID == "approval" }.map(\.attempt) == [1, 2])
        #expect(result.nodes["approval"]?.attempts == 2, "the report counts the attempt that parked, as the store does")
        await senderStore.close()
        await store.close()
    }
}
