import Foundation
import Testing

@_spi(Development) @testable import Troupe

/// The runtime's request watcher: `cancel` and `pause` recorded in the store by another process
/// (here, another store instance on the same file, which is another owner) are honoured by the
/// runtime that owns the run, with one query per poll, and polling runs only while durable runs do.
@Suite("Run request watcher", .timeLimit(.minutes(2)))
struct RunRequestWatcherTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// `w` waits for a signal (so a cancel ends it at once); `h` waits at the gate.
    static let waiting = WorkflowDefinition(id: "waiting", nodes: [NodeDefinition("w", kind: "wait")])
    static let holding = WorkflowDefinition(
        id: "holding", nodes: [NodeDefinition("h", kind: "hold"), NodeDefinition("e", kind: "echo")],
        edges: [EdgeDefinition(from: "h", to: "e")])

    static func runtime(_ store: any RunStore, gate: Gate, interval: Duration = .seconds(3600)) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(store: store, requestPollInterval: interval)
        try runtime.register(kind: "echo") { call in .string(call.nodeID) }
        try runtime.register(kind: "hold") { (call: NodeCall) async throws -> JSONValue in
            await gate.pass()
            return .string(call.nodeID)
        }
        return runtime
    }

    @Test func oneQueryPerPollHonoursEveryRequestForThisOwnersRuns() async throws {
        let path = directory.file()
        let store = CountingRunStore(try SQLiteRunStore(path: path, synchronous: .normal))
        let gate = Gate()
        let runtime = try Self.runtime(store, gate: gate)
        let cancelled = runtime.start(try runtime.prepare(Self.waiting))
        let paused = runtime.start(try runtime.prepare(Self.holding))
        let untouched = runtime.start(try runtime.prepare(Self.waiting))
        await cancelled.untilWaiting(at: "w")
        await untouched.untilWaiting(at: "w")
        await gate.waitForArrivals(1)
        let other = try SQLiteRunStore(path: path, synchronous: .normal)
        let pausedID = try #require(paused.runID)
        try await other.commit([.request(try #require(cancelled.runID), "cancel"), .request(pausedID, "pause")])

        let before = store.reads
        try await #require(runtime.requests).poll()
        #expect(store.reads.runs == before.runs + 1, "one query for all runs")
        #expect(store.reads.run == before.run, "no read per run")
        #expect(try await cancelled.result.status == .cancelled)
        #expect(await paused.status == .paused)
        try await store.commit([])
        let pausedRow = try #require(try await other.run(pausedID))
        #expect(pausedRow.status == .paused)
        #expect(pausedRow.request == nil, "a honoured request is cleared")
        let untouchedID = try #require(untouched.runID)
        #expect(try await other.run(untouchedID)?.status == .running)

        gate.openAll()
        #expect(await paused.resume())
        #expect(try await paused.result.status == .completed)
        untouched.cancel()
        _ = try await untouched.result
        await other.close()
        await store.close()
    }

    @Test func aRequestForARunOfAnotherOwnerIsLeftForIt() async throws {
        let path = directory.file()
        let gate = Gate()
        let mine = try SQLiteRunStore(path: path, synchronous: .normal)
        let theirs = try SQLiteRunStore(path: path, synchronous: .normal)
        let runtime = try Self.runtime(mine, gate: gate)
        let otherRuntime = try Self.runtime(theirs, gate: gate)
        let handle = otherRuntime.start(try otherRuntime.prepare(Self.waiting))
        await handle.untilWaiting(at: "w")
        let id = try #require(handle.runID)
        try await mine.commit([.request(id, "cancel")])
        try await #require(runtime.requests).poll()
        #expect(try await mine.run(id)?.request == "cancel", "not this owner's to honour")
        #expect(await handle.status == .running)
        try await #require(otherRuntime.requests).poll()
        #expect(try await handle.result.status == .cancelled)
        await theirs.close()
        await mine.close()
    }

    @Test func itPollsOnlyWhileDurableRunsRunAndNeverAfterShutdown() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try Self.runtime(store, gate: Gate())
        let requests = try #require(runtime.requests)
        #expect(!requests.isWatching)
        _ = await runtime.run(try runtime.prepare(Self.holding.withEchoOnly), input: .null)
        #expect(!requests.isWatching, "an in-memory instance does not start it")
        let first = runtime.start(try runtime.prepare(Self.waiting))
        let second = runtime.start(try runtime.prepare(Self.waiting))
        #expect(requests.isWatching)
        first.cancel()
        _ = try await first.result
        #expect(requests.isWatching || runtime.running.isEmpty, "one run still runs")
        second.cancel()
        _ = try await second.result
        // The last run's task stops the watcher just after its result is out.
        while requests.isWatching { await Task.yield() }
        await runtime.shutdown(gracefully: true)
        let late = runtime.start(try runtime.prepare(Self.waiting))
        _ = try await late.result
        #expect(!requests.isWatching, "not after shutdown")
        #expect(WorkflowRuntime().requests == nil, "a runtime without a store has none")
        await store.close()
    }

    /// The background poll, at a short interval, from another owner's request to the run's end.
    @Test func theBackgroundPollHonoursARequestWithoutAnExplicitPoll() async throws {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let runtime = try Self.runtime(store, gate: Gate(), interval: .milliseconds(1))
        let handle = runtime.start(try runtime.prepare(Self.waiting))
        await handle.untilWaiting(at: "w")
        let other = try SQLiteRunStore(path: path, synchronous: .normal)
        try await other.commit([.request(try #require(handle.runID), "cancel")])
        #expect(try await handle.result.status == .cancelled)
        await other.close()
        await store.close()
    }

    /// Many runs, requests from another owner, explicit polls racing the background one.
    @Test func stressManyRunsCancelledByConcurrentPolls() async throws {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let runtime = try Self.runtime(store, gate: Gate(), interval: .milliseconds(1))
        let workflow = try runtime.prepare(Self.waiting)
        let handles = (0..<40).map { _ in runtime.start(workflow) }
        for handle in handles { await handle.untilWaiting(at: "w") }
        let other = try SQLiteRunStore(path: path, synchronous: .normal)
        try await other.commit(handles.compactMap { $0.runID.map { .request($0, "cancel") } })
        let requests = try #require(runtime.requests)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { try? await requests.poll() } }
        }
        for handle in handles { #expect(try await handle.result.status == .cancelled) }
        while requests.isWatching { await Task.yield() }
        await other.close()
        await store.close()
    }
}

extension WorkflowDefinition {
    /// The same nodes, all `echo`.
    fileprivate var withEchoOnly: WorkflowDefinition {
        var copy = self
        for index in copy.nodes.indices { copy.nodes[index].kind = "echo" }
        return copy
    }
}
