import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A durable run whose only runnable node retries parks for each back-off as an in-memory one does,
/// and its store records the attempts as the retry waiting in a task would have them recorded:
/// each attempt's row and entries, the back-off's due time, and a completion committed before the
/// node reports it.
@Suite("Durable runs parked for a retry's back-off", .timeLimit(.minutes(2)))
struct DurableBackOffParkingTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// `first` → `r` (retried with `policy`) → `last`.
    private func retryingFlow(_ policy: RetryPolicy) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "retrying",
            nodes: [NodeDefinition("first", kind: "echo"), NodeDefinition("r", kind: "flaky", retry: policy), NodeDefinition("last", kind: "echo")],
            edges: [EdgeDefinition(from: "first", to: "r"), EdgeDefinition(from: "r", to: "last")])
    }

    /// A runtime on `clock` whose `flaky` kind fails every call but the `succeeding`th, recording
    /// each call's idempotency key in `keys`.
    private func runtime(_ store: any RunStore, clock: VirtualClock, succeeding: Int, keys: LockedValue<[String?]>) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(clock: clock, store: store, requestPollInterval: .seconds(3600))
        try runtime.register(kind: "echo") { call in .string(call.nodeID) }
        try runtime.register(kind: "flaky") { call in
            let number = keys.withLock { keys in
                keys.append(call.idempotencyKey)
                return keys.count
            }
            guard number == succeeding else { throw ExecutionError(type: "Flaky", message: "call \(number) fails") }
            return .string(call.nodeID)
        }
        return runtime
    }

    private func untilParked(_ handle: WorkflowHandle) async {
        while await !handle.instance.isParked { await Task.yield() }
    }

    /// Checks that the stored history numbers the entries as the live events are numbered, node by node.
    private func expectHistoryMatchesEvents(_ handle: WorkflowHandle, in store: any RunStore) async throws {
        var live: [WorkflowEvent] = []
        for await event in handle.events { live.append(event) }
        let stored = try await store.events(of: try #require(handle.runID))
        #expect(stored.map(\.sequence) == live.map(\.sequence), "\(stored.map(\.kind)) against \(live.map(\.kind.label))")
        let liveNodeEntries = live.map { $0.kind.label.split(separator: " ").prefix(2).joined(separator: " ") }.filter { $0.contains(" ") }
        #expect(stored.compactMap { entry in entry.nodeID.map { "\(entry.kind) \($0)" } } == liveNodeEntries)
    }

    @Test("parked in its back-off, the failed attempt is stored with its due time; the retry completes, committed, with its history matching its events")
    func parkedAndRetried() async throws {
        let clock = VirtualClock()
        let keys = LockedValue<[String?]>([])
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try runtime(store, clock: clock, succeeding: 2, keys: keys)
        let before = Date()
        let handle = runtime.start(try runtime.prepare(retryingFlow(RetryPolicy(maximumAttempts: 3, initialInterval: .seconds(60)))))
        await untilParked(handle)
        let after = Date()
        let id = try #require(handle.runID)
        try await store.commit([])
        let failed = try #require(try await store.attempts(of: id).first { $0.nodeID == "r" })
        #expect(failed.attempt == 1 && failed.status == .failed && failed.errorType == "Flaky")
        let due = try #require(failed.nextAttemptAt, "the back-off's due time is recorded, for a resume")
        #expect(due >= before.addingTimeInterval(59.999) && due <= after.addingTimeInterval(60.001))
        #expect(try await store.events(of: id).last?.kind == "nodeRetrying")
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(60))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["r"]?.attempts == 2)
        #expect(result.nodes["last"]?.status == .completed)
        #expect(keys.withLock { $0 } == Array(repeating: "\(id.rawValue)/r", count: 2), "every attempt carries the node's idempotency key")
        let attempts = try await store.attempts(of: id).filter { $0.nodeID == "r" }
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts.map(\.status) == [.failed, .completed])
        #expect(attempts.last?.output == "r")
        try await expectHistoryMatchesEvents(handle, in: store)
        await store.close()
    }

    @Test("a node whose retries run out while it parks between them fails on record as in its task")
    func retriesRunOut() async throws {
        let clock = VirtualClock()
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try runtime(store, clock: clock, succeeding: 0, keys: LockedValue([]))
        let handle = runtime.start(try runtime.prepare(retryingFlow(RetryPolicy(maximumAttempts: 2, initialInterval: .seconds(5)))))
        await untilParked(handle)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        let result = try await handle.result
        #expect(result.status == .failed)
        #expect(result.nodes["r"]?.status == .failed && result.nodes["r"]?.attempts == 2)
        let id = try #require(handle.runID)
        #expect(try await store.attempts(of: id).filter { $0.nodeID == "r" }.map(\.status) == [.failed, .failed])
        #expect(try await store.run(id)?.status == .failed)
        try await expectHistoryMatchesEvents(handle, in: store)
        await store.close()
    }

    @Test("a retry whose completion cannot be committed fails the node with the store's error: it never reports completed")
    func uncommittedCompletion() async throws {
        let clock = VirtualClock()
        let store = FailingCommits(try SQLiteRunStore(path: directory.file(), synchronous: .normal))
        let runtime = try runtime(store, clock: clock, succeeding: 2, keys: LockedValue([]))
        let handle = runtime.start(try runtime.prepare(retryingFlow(RetryPolicy(maximumAttempts: 3, initialInterval: .seconds(5)))))
        await untilParked(handle)
        store.failing.withLock { $0 = true }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        let result = try await handle.result
        await FailingCommits.expectFailedUncommitted("r", before: "last", in: result, of: handle)
        await store.close()
    }

    @Test("a cancel while parked in a back-off records the node cancelled and the run cancelled, and takes back the timer")
    func cancelledInItsBackOff() async throws {
        let clock = VirtualClock()
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try runtime(store, clock: clock, succeeding: 2, keys: LockedValue([]))
        let handle = runtime.start(try runtime.prepare(retryingFlow(RetryPolicy(maximumAttempts: 3, initialInterval: .seconds(3600)))))
        await untilParked(handle)
        handle.cancel()
        let result = try await handle.result
        #expect(result.status == .cancelled)
        #expect(result.nodes["r"]?.status == .cancelled)
        let id = try #require(handle.runID)
        #expect(try await store.run(id)?.status == .cancelled)
        let entries = try await store.events(of: id).filter { $0.nodeID == "r" }.map(\.kind)
        #expect(entries == ["nodeStarted", "nodeRetrying", "nodeCancelled"])
        #expect(runtime.instanceClock.pendingTimers == 0)
        try await expectHistoryMatchesEvents(handle, in: store)
        await store.close()
    }
}
