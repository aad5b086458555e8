import Foundation
import Testing

@_spi(Development) @testable import Troupe

/// `WorkflowRuntime.signal(run, name, value)`: delivered at once to a run of this runtime, recorded
/// for the owner of another process's run and delivered by its request watcher, and never lost
/// to a crash: a resumed run gets every signal that no completed `wait` node took.
@Suite("Stored signals", .timeLimit(.minutes(2)))
struct StoredSignalTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// `w` waits for `go`, then `h` holds at the gate.
    static let approval = WorkflowDefinition(
        id: "approval", nodes: [NodeDefinition("w", kind: "wait", config: ["signal": "go"]), NodeDefinition("h", kind: "hold")],
        edges: [EdgeDefinition(from: "w", to: "h")])

    static func runtime(_ store: any RunStore, gate: Gate = Gate(), interval: Duration = .seconds(3600)) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(store: store, requestPollInterval: interval)
        try runtime.register(kind: "hold") { (call: NodeCall) async throws -> JSONValue in
            await gate.pass()
            return .string(call.nodeID)
        }
        return runtime
    }

    static func error(_ body: () async throws -> Void) async -> StoreError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? StoreError
        }
    }

    @Test func aSignalToARunOfThisRuntimeIsRecordedAndDeliveredAtOnce() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let gate = Gate()
        let runtime = try Self.runtime(store, gate: gate)
        let handle = runtime.start(try runtime.prepare(Self.approval))
        await handle.untilWaiting(at: "w")
        let id = try #require(handle.runID)
        #expect(try await runtime.signal(id, "go", ["n": 1]) == .delivered)
        await gate.waitForArrivals(1)
        // `w` has ended: nothing can take a second one, and the refusal is recorded.
        let refused = await Self.error { _ = try await runtime.signal(id, "go", 2) }
        #expect(refused?.type == "SignalRefused")
        #expect(refused?.message.contains("run \(id)") == true)
        gate.openAll()
        let result = try await handle.result
        #expect(result.nodes["w"]?.output == ["n": 1])
        let signals = try #require(try await store.run(id)).signals
        #expect(signals.map(\.value) == [["n": 1], 2])
        #expect(signals.map(\.status) == [.delivered, .refused])
        await store.close()
    }

    @Test func unknownRunsEndedRunsAndUnknownNamesAreErrorsNamingThem() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let gate = Gate()
        gate.openAll()
        let runtime = try Self.runtime(store, gate: gate)
        let handle = runtime.start(try runtime.prepare(Self.approval))
        await handle.untilWaiting(at: "w")
        let id = try #require(handle.runID)
        let unknownName = await Self.error { _ = try await runtime.signal(id, "stop") }
        #expect(unknownName?.type == "UnknownSignal")
        #expect(unknownName?.message.contains(#"no wait node for signal "stop": its wait nodes take "go""#) == true, "\(unknownName?.message ?? "")")
        let stranger = RunID()
        let unknownRun = await Self.error { _ = try await runtime.signal(stranger, "go") }
        #expect(unknownRun?.type == "UnknownRun")
        #expect(unknownRun?.message.contains("\(stranger)") == true)
        #expect(try await runtime.signal(id, "go") == .delivered)
        _ = try await handle.result
        let ended = await Self.error { _ = try await runtime.signal(id, "go") }
        #expect(ended?.type == "NotRunning")
        #expect(ended?.message == "run \(id) is completed: only a running or paused run takes signals")
        let memory = await Self.error { _ = try await WorkflowRuntime().signal(id, "go") }
        #expect(memory?.type == "NoStore")
        await store.close()
    }

    @Test func aSignalForAnotherOwnersRunIsDeliveredByThatOwnersPoll() async throws {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let gate = Gate()
        gate.openAll()
        let owner = try Self.runtime(store, gate: gate)
        let handle = owner.start(try owner.prepare(Self.approval))
        await handle.untilWaiting(at: "w")
        let id = try #require(handle.runID)
        let senderStore = try SQLiteRunStore(path: path, synchronous: .normal)
        let sender = try Self.runtime(senderStore)
        #expect(try await sender.signal(id, "go", "first") == .recorded)
        #expect(try await sender.signal(id, "go", "second") == .recorded)
        #expect(try await senderStore.run(id)?.signals.map(\.status) == [.pending, .pending])
        try await #require(owner.requests).poll()
        let result = try await handle.result
        #expect(result.nodes["w"]?.output == "first", "in the order they were recorded")
        // The second went to the mailbox too (kept while `w` had not ended, or refused once it had).
        let statuses = try #require(try await senderStore.run(id)).signals.map(\.status)
        #expect(statuses.count == 2 && statuses[0] == .delivered && statuses[1] != .pending, "\(statuses)")
        await senderStore.close()
        await store.close()
    }

    /// Polls at once deliver a pending signal once: of two `wait` nodes for one name, one signal
    /// completes one node, and the next signal the other.
    @Test func concurrentPollsDeliverAPendingSignalOnce() async throws {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let owner = try Self.runtime(store)
        let workflow = WorkflowDefinition(
            id: "two", nodes: [NodeDefinition("w1", kind: "wait", config: ["signal": "go"]), NodeDefinition("w2", kind: "wait", config: ["signal": "go"])])
        let handle = owner.start(try owner.prepare(workflow))
        var waiting: Set<String> = []
        for await event in handle.events {
            if case .nodeWaiting(let node, _) = event.kind { waiting.insert(node) }
            if waiting.count == 2 { break }
        }
        let id = try #require(handle.runID)
        let senderStore = try SQLiteRunStore(path: path, synchronous: .normal)
        let sender = try Self.runtime(senderStore)
        _ = try await sender.signal(id, "go", "first")
        let requests = try #require(owner.requests)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await requests.poll() } }
            try await group.waitForAll()
        }
        _ = try await sender.signal(id, "go", "second")
        try await requests.poll()
        let result = try await handle.result
        #expect(Set([result.nodes["w1"]?.output, result.nodes["w2"]?.output]) == ["first", "second"])
        await senderStore.close()
        await store.close()
    }

    /// The owner dies after `w` received its signal but before `w`'s completion was committed,
    /// with `u` completed on its own signal and `v`'s signal recorded after the crash: the next
    /// process gives `w` and `v` their signals and does not give `u`'s again.
    @Test func aSignalSurvivesACrashOfTheOwnerBeforeItsNodeCompleted() async throws {
        let path = directory.file()
        let workflow = WorkflowDefinition(
            id: "three",
            nodes: [
                NodeDefinition("u", kind: "wait", config: ["signal": "c"]), NodeDefinition("w", kind: "wait", config: ["signal": "a"]),
                NodeDefinition("v", kind: "wait", config: ["signal": "b"]),
            ])
        let firstStore = try SQLiteRunStore(path: path, synchronous: .normal)
        let first = try Self.runtime(firstStore)
        let held = Gate()
        // Holds `w` after it received its signal, before its completion can be committed.
        first.use(HoldAfterNode(node: "w", gate: held))
        let handle = first.start(try first.prepare(workflow))
        await handle.untilWaiting(at: "v")
        let id = try #require(handle.runID)
        let senderStore = try SQLiteRunStore(path: path, synchronous: .normal)
        let sender = try Self.runtime(senderStore)
        _ = try await sender.signal(id, "c", "for u")
        _ = try await sender.signal(id, "a", "for w")
        try await #require(first.requests).poll()
        await held.waitForArrivals(1)
        // `u` completed: its completion is committed before its event is out.
        for await event in handle.events {
            if case .nodeCompleted("u", _) = event.kind { break }
        }
        // "Crash": the first process's store gives up its runs; its instance stays stuck.
        try await firstStore.commit([])
        await firstStore.close()
        #expect(try await sender.signal(id, "b", "for v") == .recorded)

        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let second = try Self.runtime(store)
        let resumed = try #require(try await second.recover().first)
        try await #require(second.requests).poll()
        let result = try await resumed.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["u"]?.output == "for u")
        #expect(result.nodes["w"]?.output == "for w", "delivered again after the crash")
        #expect(result.nodes["v"]?.output == "for v", "recorded while no process owned the run")
        let signals = try #require(try await store.run(id)).signals
        #expect(signals.map(\.status) == [.delivered, .delivered, .delivered])
        let attempts = try await store.attempts(of: id)
        #expect(attempts.filter { $0.nodeID == "u" }.count == 1, "u did not run again")
        held.openAll()
        await senderStore.close()
        await store.close()
    }

    /// Many runs of one owner, each signalled from another owner's tasks at once, polled in the
    /// background while explicit polls race it: every run completes with its own value.
    @Test func stressManySignalsFromManyTasks() async throws {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let gate = Gate()
        gate.openAll()
        let owner = try Self.runtime(store, gate: gate, interval: .milliseconds(1))
        let workflow = try owner.prepare(Self.approval)
        let handles = (0..<30).map { _ in owner.start(workflow) }
        for handle in handles { await handle.untilWaiting(at: "w") }
        let senderStore = try SQLiteRunStore(path: path, synchronous: .normal)
        let sender = try Self.runtime(senderStore)
        let ids = handles.compactMap(\.runID)
        let requests = try #require(owner.requests)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, id) in ids.enumerated() { group.addTask { _ = try await sender.signal(id, "go", .integer(index)) } }
            for _ in 0..<3 { group.addTask { try await requests.poll() } }
            try await group.waitForAll()
        }
        for (index, handle) in handles.enumerated() {
            #expect(try await handle.result.nodes["w"]?.output == .integer(index))
        }
        await senderStore.close()
        await store.close()
    }
}

/// Waits at `gate` after `node`'s executor returned, before the journal can commit its completion.
struct HoldAfterNode: NodeInterceptor {
    let node: String
    let gate: Gate

    func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        let output = try await next.handle(call, context: context)
        if call.nodeID == node { await gate.pass() }
        return output
    }
}
