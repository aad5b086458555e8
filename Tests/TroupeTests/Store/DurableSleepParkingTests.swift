import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A durable run whose only runnable node is a `sleep` node parks there as an in-memory one does,
/// and its store records the sleep as the node's pipeline would: the attempt with its wake-up as an
/// absolute time, and a completion committed before it is reported. A resumed run parks again until
/// that recorded time.
@Suite("Durable runs parked at a sleep node", .timeLimit(.minutes(2)))
struct DurableSleepParkingTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// `first` → `nap` (sleep, `seconds`) → `last`.
    private func napFlow(seconds: Int) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "nap",
            nodes: [
                NodeDefinition("first", kind: "echo"), NodeDefinition("nap", kind: "sleep", config: ["seconds": .integer(seconds)]),
                NodeDefinition("last", kind: "echo"),
            ],
            edges: [EdgeDefinition(from: "first", to: "nap"), EdgeDefinition(from: "nap", to: "last")])
    }

    /// A runtime on `clock` whose `echo` kind outputs the node's id and counts its calls in `calls`.
    private func runtime(_ store: any RunStore, clock: VirtualClock, calls: NodeCallCounter = NodeCallCounter()) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(clock: clock, store: store, requestPollInterval: .seconds(3600))
        try runtime.register(kind: "echo") { call in
            calls.increment(call.nodeID)
            return .string(call.nodeID)
        }
        return runtime
    }

    private func untilParked(_ handle: WorkflowHandle) async {
        while await !handle.instance.isParked { await Task.yield() }
    }

    @Test("parked, the sleep's attempt is stored running with its wake-up; woken, the run completes and its history matches its events")
    func parkedAndWoken() async throws {
        let clock = VirtualClock()
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try runtime(store, clock: clock)
        let before = Date()
        let handle = runtime.start(try runtime.prepare(napFlow(seconds: 30)))
        await untilParked(handle)
        let after = Date()
        #expect(await handle.instance.heldNodeActors.isEmpty, "a parked instance holds no node actor")
        #expect(runtime.instanceClock.pendingTimers == 1)
        let id = try #require(handle.runID)
        try await store.commit([])
        let nap = try #require(try await store.attempts(of: id).first { $0.nodeID == "nap" })
        #expect(nap.status == .running)
        let wake = try #require(nap.nextAttemptAt)
        #expect(wake >= before.addingTimeInterval(29.999) && wake <= after.addingTimeInterval(30.001), "due 30 s after it began")
        #expect(try await store.run(id)?.status == .running)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(29))
        #expect(await handle.instance.isParked, "not due yet")
        clock.advance(by: .seconds(1))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["nap"]?.output == ["slept": 30.0])
        #expect(result.nodes["last"]?.output == "last")
        let attempts = try await store.attempts(of: id).filter { $0.nodeID == "nap" }
        #expect(attempts.map(\.status) == [.completed])
        #expect(attempts.first?.output == ["slept": 30.0])
        var live: [WorkflowEvent] = []
        for await event in handle.events { live.append(event) }
        let stored = try await store.events(of: id)
        #expect(stored.map(\.sequence) == live.map(\.sequence))
        #expect(stored.filter { $0.nodeID == "nap" }.map(\.kind) == ["nodeStarted", "nodeCompleted"])
        #expect(try await store.run(id)?.status == .completed)
        #expect(runtime.instanceClock.pendingTimers == 0)
        await store.close()
    }

    @Test("a wake-up whose completion cannot be committed fails the parked node with the store's error: it never reports completed")
    func uncommittedWakeUp() async throws {
        let clock = VirtualClock()
        let store = FailingCommits(try SQLiteRunStore(path: directory.file(), synchronous: .normal))
        let runtime = try runtime(store, clock: clock)
        let handle = runtime.start(try runtime.prepare(napFlow(seconds: 5)))
        await untilParked(handle)
        store.failing.withLock { $0 = true }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        let result = try await handle.result
        await FailingCommits.expectFailedUncommitted("nap", before: "last", in: result, of: handle)
        await store.close()
    }

    @Test("a cancel while parked at a sleep records its attempt cancelled and the run cancelled, and takes back its timer")
    func parkedCancel() async throws {
        let clock = VirtualClock()
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try runtime(store, clock: clock)
        let handle = runtime.start(try runtime.prepare(napFlow(seconds: 3600)))
        await untilParked(handle)
        handle.cancel()
        let result = try await handle.result
        #expect(result.status == .cancelled)
        #expect(result.nodes["nap"]?.status == .cancelled)
        let id = try #require(handle.runID)
        #expect(try await store.attempts(of: id).first { $0.nodeID == "nap" }?.status == .cancelled)
        #expect(try await store.run(id)?.status == .cancelled)
        #expect(runtime.instanceClock.pendingTimers == 0)
        var live: [WorkflowEvent] = []
        for await event in handle.events { live.append(event) }
        #expect(try await store.events(of: id).map(\.sequence) == live.map(\.sequence))
        #expect(try await store.events(of: id).filter { $0.nodeID == "nap" }.map(\.kind) == ["nodeStarted", "nodeCancelled"])
        await store.close()
    }

    @Test("a run parked at a sleep when its process died parks again when resumed, until the wake-up it recorded; first does not run again")
    func resumedParkedSleep() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let firstStore = try SQLiteRunStore(path: path, synchronous: .normal)
        let first = try runtime(firstStore, clock: VirtualClock(), calls: calls)
        let handle = first.start(try first.prepare(napFlow(seconds: 5000)))
        await untilParked(handle)
        let id = try #require(handle.runID)
        // "Crash": the store gives up its runs with the instance still parked; the process was then
        // down long enough that 1,000 s of the sleep are left.
        try await firstStore.commit([])
        var nap = try #require(try await firstStore.attempts(of: id).first { $0.nodeID == "nap" })
        let wake = Date().addingTimeInterval(1000)
        nap.nextAttemptAt = wake
        try await firstStore.commit([.attempt(nap)])
        await firstStore.close()

        let clock = VirtualClock()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let second = try runtime(store, clock: clock, calls: calls)
        let resumed = try #require(try await second.recover().first)
        await untilParked(resumed)
        await clock.waitForSleepers(1)
        #expect(clock.sleeps.allSatisfy { $0 > .zero && $0 <= .seconds(1000) }, "only what is left of the sleep: \(clock.sleeps)")
        try await store.commit([])
        let again = try #require(try await store.attempts(of: id).last { $0.nodeID == "nap" })
        #expect(again.attempt == 2)
        #expect(again.nextAttemptAt.map { abs($0.timeIntervalSince(wake)) < 0.001 } == true, "the resumed attempt keeps the wake-up")
        clock.advance(by: .seconds(1000))
        let result = try await resumed.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(calls.count("first") == 1, "first did not run again")
        #expect(calls.count("last") == 1)
        #expect(try await store.attempts(of: id).filter { $0.nodeID == "nap" }.map(\.status) == [.running, .completed])
        #expect(result.nodes["nap"]?.attempts == 2, "the report counts the attempt the crash caught, as the store does")
        var live: [WorkflowEvent] = []
        for await event in resumed.events { live.append(event) }
        let stored = try await store.events(of: id)
        #expect(stored.map(\.sequence) == Array(0..<stored.count), "gapless")
        #expect(stored.map(\.sequence) == live.map(\.sequence), "the resumed run's events replay the history, then go on live")
        await store.close()
    }
}
