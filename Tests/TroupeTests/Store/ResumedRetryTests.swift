import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A retry policy bounds a node's attempts across crashes: a resumed node's retries, and their
/// back-off, count on from the attempts earlier processes recorded.
@Suite("Retries of resumed runs", .timeLimit(.minutes(2)))
struct ResumedRetryTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// A runtime on `store` and `clock` whose `flaky` kind fails every call of all but the
    /// `succeeding`th; the `holding`th waits at `gate` first.
    static func runtime(
        _ store: SQLiteRunStore, clock: VirtualClock, calls: NodeCallCounter, gate: Gate = Gate(), holding: Int = 0, succeeding: Int = 0
    ) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(clock: clock, store: store)
        try runtime.register(kind: "flaky") { (call: NodeCall) async throws -> JSONValue in
            calls.increment(call.nodeID)
            let number = calls.count(call.nodeID)
            if number == holding { await gate.pass() }
            guard number == succeeding else { throw ExecutionError(type: "Flaky", message: "call \(number) fails") }
            return .string(call.nodeID)
        }
        return runtime
    }

    static func retrying(_ policy: RetryPolicy) -> WorkflowDefinition {
        WorkflowDefinition(id: "retrying", nodes: [NodeDefinition("r", kind: "flaky", retry: policy)])
    }

    /// Runs node `r` with `policy` through a failed attempt 1 and its back-off into attempt 2,
    /// which holds at the gate, then "crashes" (as `DurableRunTests.crash` does: the store gives up
    /// its runs while the instance stays stuck). Returns the stuck handle and its gate.
    ///
    /// The policies retry at once where they can, so that a resumed node that retried too often
    /// fails its test by its call count instead of waiting on the virtual clock for ever.
    func crashedAtAttemptTwo(_ policy: RetryPolicy, path: String, calls: NodeCallCounter) async throws -> (WorkflowHandle, Gate) {
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let clock = VirtualClock()
        let gate = Gate()
        let runtime = try Self.runtime(store, clock: clock, calls: calls, gate: gate, holding: 2)
        let handle = runtime.start(try runtime.prepare(Self.retrying(policy)))
        if policy.initialInterval > .zero {
            await clock.waitForSleepers(1)
            clock.advance(by: policy.initialInterval)
        }
        await gate.waitForArrivals(1)
        try await store.commit([])
        await store.close()
        return (handle, gate)
    }

    /// Lets the crashed process's stuck instance end.
    func release(_ stuck: WorkflowHandle, _ gate: Gate) async throws {
        stuck.cancel()
        gate.openAll()
        _ = try await stuck.result
    }

    /// A reported retry is stored in the history where the live events had it: a resumed run
    /// replays what its first process streamed, retry included.
    @Test func aRetryIsReplayedWhereTheFirstProcessStreamedIt() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let (stuck, firstGate) = try await crashedAtAttemptTwo(RetryPolicy(maximumAttempts: 3, initialInterval: .seconds(1)), path: path, calls: calls)
        var before: [WorkflowEvent] = []
        for await event in stuck.events {
            before.append(event)
            if case .nodeStarted("r", 2) = event.kind { break }
        }
        #expect(before.contains { if case .nodeRetrying("r", 1, .seconds(1), _) = $0.kind { true } else { false } }, "\(before.map(\.kind))")

        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let handle = try #require(try await Self.runtime(store, clock: VirtualClock(), calls: calls, succeeding: 3).recover().first)
        var replayed: [WorkflowEvent] = []
        for await event in handle.events {
            replayed.append(event)
            if replayed.count == before.count { break }
        }
        #expect(replayed.map(\.kind) == before.map(\.kind))
        #expect(replayed.map(\.sequence) == before.map(\.sequence), "the first process's numbers, the retry's entry included")
        #expect(replayed.map(\.sequence) == Array(0..<replayed.count), "the stored history is gapless")
        #expect(try await handle.result.status == .completed)
        try await release(stuck, firstGate)
        await store.close()
    }

    @Test func aNodeCrashedAtAttemptTwoOfThreeGetsOneMoreAttempt() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let (stuck, firstGate) = try await crashedAtAttemptTwo(RetryPolicy(maximumAttempts: 3, initialInterval: .zero), path: path, calls: calls)
        let id = try #require(stuck.runID)
        #expect(calls.count("r") == 2)

        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let handle = try #require(try await Self.runtime(store, clock: VirtualClock(), calls: calls).recover().first)
        let result = try await handle.result
        #expect(calls.count("r") == 3, "exactly one more attempt")
        #expect(result.status == .failed)
        #expect(result.nodes["r"]?.errorType == "Flaky", "the last attempt's error, as when retries run out")
        #expect(result.nodes["r"]?.attempts == 3)
        let attempts = try await store.attempts(of: id)
        #expect(attempts.map(\.attempt) == [1, 2, 3])
        #expect(attempts.map(\.status) == [.failed, .running, .failed])
        #expect(try await store.run(id)?.status == .failed)
        try await release(stuck, firstGate)
        await store.close()
    }

    /// The back-off after the resumed attempt 3 is the third one's (10 s × 2²), not the first's.
    @Test func aResumedNodesBackOffGrowsFromTheRecordedAttempts() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let policy = RetryPolicy(maximumAttempts: 4, initialInterval: .seconds(10), backoffCoefficient: 2)
        let (stuck, firstGate) = try await crashedAtAttemptTwo(policy, path: path, calls: calls)
        let id = try #require(stuck.runID)

        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let clock = VirtualClock()
        let handle = try #require(try await Self.runtime(store, clock: clock, calls: calls, succeeding: 4).recover().first)
        await clock.waitForSleepers(1)
        #expect(clock.sleeps == [.seconds(40)])
        clock.advance(by: .seconds(40))
        #expect(try await handle.result.status == .completed)
        #expect(calls.count("r") == 4)
        #expect(try await store.attempts(of: id).map(\.attempt) == [1, 2, 3, 4])
        try await release(stuck, firstGate)
        await store.close()
    }

    /// A crash caught the node's last allowed attempt: the resumed node fails without another, so
    /// that a policy's limit holds across crashes (`maximumAttempts: 1` makes a node at most once).
    @Test func aNodeWhoseLastAllowedAttemptWasCaughtByACrashFailsWithoutAnother() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let (stuck, firstGate) = try await crashedAtAttemptTwo(RetryPolicy(maximumAttempts: 2, initialInterval: .zero), path: path, calls: calls)
        let id = try #require(stuck.runID)

        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let handle = try #require(try await Self.runtime(store, clock: VirtualClock(), calls: calls).recover().first)
        let result = try await handle.result
        #expect(calls.count("r") == 2, "no attempt beyond the policy's two")
        #expect(result.status == .failed)
        #expect(result.nodes["r"]?.errorType == "RetryLimit")
        #expect(result.nodes["r"]?.error?.contains("2 attempts") == true, "\(result.nodes["r"]?.error ?? "")")
        #expect(result.nodes["r"]?.attempts == 2, "no attempt ran in the resuming process: the report counts the stored two")
        let attempts = try await store.attempts(of: id)
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts.last?.status == .failed)
        #expect(attempts.last?.errorType == "RetryLimit")
        try await release(stuck, firstGate)
        await store.close()
    }

    /// A run whose node failed when its retries ran out, re-run from its failed nodes: the node
    /// gets a budget of its own, its attempts numbered on.
    @Test func aRunReRunFromItsFailedNodesGivesThemABudgetOfTheirOwn() async throws {
        let calls = NodeCallCounter()
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try Self.runtime(store, clock: VirtualClock(), calls: calls)
        let handle = runtime.start(try runtime.prepare(Self.retrying(RetryPolicy(maximumAttempts: 2, initialInterval: .zero))))
        #expect(try await handle.result.status == .failed)
        #expect(calls.count("r") == 2)
        let id = try #require(handle.runID)
        let result = try await runtime.resume(id, fromFailed: true).result
        #expect(result.status == .failed)
        #expect(result.nodes["r"]?.errorType == "Flaky", "\(result.nodes["r"]?.error ?? "")")
        #expect(calls.count("r") == 4)
        #expect(try await store.attempts(of: id).map(\.attempt) == [1, 2, 3, 4])
        await store.close()
    }

    /// Whether `handle` ended before anything slept on `clock`: a wait that should come but does
    /// not then fails the test at once instead of leaving it waiting for a sleeper.
    static func endsBeforeSleeping(_ handle: WorkflowHandle, on clock: VirtualClock) async -> Bool {
        let (first, settle) = AsyncStream.makeStream(of: Bool.self)
        Task {
            await clock.waitForSleepers(1)
            settle.yield(false)
        }
        Task {
            _ = try? await handle.result
            settle.yield(true)
        }
        for await ended in first { return ended }
        return true
    }

    /// A retrying interceptor's back-off, whichever interceptor it is, is recorded from its
    /// `retrying` report and goes on from its stored due time after a resume.
    @Test func aCustomRetryingInterceptorsBackOffGoesOnFromItsStoredTime() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let definition = WorkflowDefinition(id: "custom", nodes: [NodeDefinition("r", kind: "flaky")])
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let clock = VirtualClock()
        let first = try Self.runtime(store, clock: clock, calls: calls, succeeding: 2)
        first.use(RetryingOnce(delay: .seconds(5000), clock: clock))
        let before = Date()
        let stuck = first.start(try first.prepare(definition))
        await clock.waitForSleepers(1)
        let after = Date()
        try await store.commit([])
        let id = try #require(stuck.runID)
        var attempt = try #require(try await store.attempts(of: id).last)
        #expect(attempt.status == .failed)
        let due = try #require(attempt.nextAttemptAt, "the custom interceptor's back-off is recorded")
        #expect(due >= before.addingTimeInterval(4999.999) && due <= after.addingTimeInterval(5000.001))
        await store.close()
        // As if the process had been down for 4,000 s of the back-off.
        let rewriting = try SQLiteRunStore(path: path, synchronous: .normal)
        attempt.nextAttemptAt = Date().addingTimeInterval(1000)
        try await rewriting.commit([.attempt(attempt)])
        await rewriting.close()

        let resumedStore = try SQLiteRunStore(path: path, synchronous: .normal)
        let resumedClock = VirtualClock()
        let second = try Self.runtime(resumedStore, clock: resumedClock, calls: calls, succeeding: 2)
        second.use(RetryingOnce(delay: .seconds(5000), clock: resumedClock))
        let handle = try #require(try await second.recover().first)
        #expect(await !Self.endsBeforeSleeping(handle, on: resumedClock), "the resumed node waits for the rest of its back-off")
        #expect(resumedClock.sleeps.count == 1)
        #expect(resumedClock.sleeps.allSatisfy { $0 > .zero && $0 <= .seconds(1000) }, "only what is left: \(resumedClock.sleeps)")
        resumedClock.advance(by: .seconds(1000))
        #expect(try await handle.result.status == .completed)
        #expect(calls.count("r") == 2)
        #expect(try await resumedStore.attempts(of: id).map(\.status) == [.failed, .completed])
        stuck.cancel()
        _ = try await stuck.result
        await resumedStore.close()
    }
}

/// A retrying interceptor of the test's own, not the built-in `retry`: after a failed call it
/// reports the retry, waits `delay` on `clock` and calls once more.
struct RetryingOnce: NodeInterceptor {
    let delay: Duration
    let clock: any Clock<Duration>

    func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        do {
            return try await next.handle(call, context: context)
        } catch {
            await context.retrying(afterAttempt: call.attempt, delay: delay, error: error)
            try await clock.sleep(for: delay)
            var again = call
            again.attempt += 1
            return try await next.handle(again, context: context)
        }
    }
}
