import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A durable node whose retries its instance drives, parking for each back-off, leaves the same
/// record as one whose retry waits in the instance's task: the same attempt rows, history, live
/// events, report and run status. The same workflow runs both ways: with the `sequential`
/// strategy its instance parks; with `parallel` it never does.
@Suite("Durable back-offs parked or waited in a task record the same", .timeLimit(.minutes(2)))
struct DurableBackOffEquivalenceTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// What one run left: everything the two ways must agree on.
    struct Record: Equatable, CustomStringConvertible {
        var attempts: [String]
        var history: [String]
        var live: [String]
        var report: String
        var runStatus: String?
        var sequencesMatch: Bool

        var description: String { "attempts \(attempts)\nhistory \(history)\nlive \(live)\nreport \(report), run \(runStatus ?? "?")" }
    }

    /// How a call of the `flaky` kind ends, call by call.
    enum Outcome: Sendable {
        case succeeds, fails, failsFatally
    }

    private func flow(_ strategy: ExecutionStrategy) -> WorkflowDefinition {
        let policy = RetryPolicy(maximumAttempts: 3, initialInterval: .seconds(10), nonRetryableErrorTypes: ["Fatal"])
        return WorkflowDefinition(
            id: "retrying",
            nodes: [NodeDefinition("first", kind: "echo"), NodeDefinition("r", kind: "flaky", retry: policy), NodeDefinition("last", kind: "echo")],
            edges: [EdgeDefinition(from: "first", to: "r"), EdgeDefinition(from: "r", to: "last")], strategy: strategy)
    }

    private func runtime(_ store: any RunStore, clock: VirtualClock, outcomes: [Outcome]) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(clock: clock, store: store, requestPollInterval: .seconds(3600))
        let calls = LockedValue(0)
        try runtime.register(kind: "echo") { call in .string(call.nodeID) }
        try runtime.register(kind: "flaky") { call in
            let number = calls.withLock { calls in
                calls += 1
                return calls
            }
            switch number <= outcomes.count ? outcomes[number - 1] : .fails {
            case .succeeds: return "done"
            case .fails: throw ExecutionError(type: "Flaky", message: "call \(number) fails")
            case .failsFatally: throw ExecutionError(type: "Fatal", message: "call \(number) fails for good")
            }
        }
        return runtime
    }

    /// Runs the workflow with `strategy` through `backOffs` back-offs, or cancels it in back-off
    /// `cancelledIn`; returns what it left and whether it parked at every back-off it reached.
    private func run(
        _ strategy: ExecutionStrategy, outcomes: [Outcome], backOffs: Int, cancelledIn: Int?
    ) async throws -> (record: Record, parked: Bool) {
        let clock = VirtualClock()
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = try runtime(store, clock: clock, outcomes: outcomes)
        let handle = runtime.start(try runtime.prepare(flow(strategy)))
        var parked = true
        for backOff in 1...max(backOffs, 1) where backOffs > 0 {
            await clock.waitForSleeps(count: backOff)
            await clock.waitForSleepers(1)
            if await !handle.instance.isParked { parked = false }
            if backOff == cancelledIn {
                handle.cancel()
                break
            }
            clock.advance(by: .seconds(3600))
        }
        let result = try await handle.result
        var live: [WorkflowEvent] = []
        for await event in handle.events { live.append(event) }
        let id = try #require(handle.runID)
        let stored = try await store.events(of: id)
        let report = result.nodes["r"]
        let record = Record(
            attempts: try await store.attempts(of: id).filter { $0.nodeID == "r" }.map {
                "\($0.attempt) \($0.status.rawValue) \($0.errorType ?? "-") due: \($0.nextAttemptAt != nil)"
            },
            history: stored.map { "\($0.kind) \($0.nodeID ?? "")" },
            live: live.map { $0.kind.label.split(separator: " ").prefix(2).joined(separator: " ") },
            report: "\(report?.status.rawValue ?? "?") \(report?.attempts ?? -1) \(report?.errorType ?? "-")",
            runStatus: try await store.run(id)?.status.rawValue, sequencesMatch: stored.map(\.sequence) == live.map(\.sequence))
        await store.close()
        return (record, parked)
    }

    @Test(
        "parked and in a task, a durable retry records the same",
        arguments: [
            ([Outcome.succeeds], 0, nil as Int?), ([.fails, .fails, .succeeds], 2, nil), ([.fails, .fails, .fails], 2, nil),
            ([.fails, .failsFatally], 1, nil), ([.fails, .fails, .succeeds], 2, 2), ([.fails, .succeeds], 1, 1),
        ])
    func sameRecord(outcomes: [Outcome], backOffs: Int, cancelledIn: Int?) async throws {
        let parked = try await run(.sequential, outcomes: outcomes, backOffs: backOffs, cancelledIn: cancelledIn)
        let waited = try await run(.parallel(maxConcurrency: 1), outcomes: outcomes, backOffs: backOffs, cancelledIn: cancelledIn)
        if backOffs > 0 {
            #expect(parked.parked, "the sequential run parks for its back-offs")
            #expect(!waited.parked, "the parallel run waits in its task")
        }
        #expect(parked.record.sequencesMatch, "\(parked.record)")
        #expect(waited.record.sequencesMatch, "\(waited.record)")
        #expect(parked.record == waited.record, "parked:\n\(parked.record)\nin a task:\n\(waited.record)")
    }

    @Test("killed while parked in a back-off, a resumed node waits what is left in its task and numbers its attempts on")
    func resumedFromAParkedBackOff() async throws {
        let path = directory.file()
        let firstStore = try SQLiteRunStore(path: path, synchronous: .normal)
        let first = try runtime(firstStore, clock: VirtualClock(), outcomes: [.fails])
        let handle = first.start(try first.prepare(flow(.sequential)))
        while await !handle.instance.isParked { await Task.yield() }
        let id = try #require(handle.runID)
        // "Crash", and stay down until a back-off of 10 s has 1,000 s left (the wall clock moves meanwhile).
        try await firstStore.commit([])
        var failed = try #require(try await firstStore.attempts(of: id).first { $0.nodeID == "r" })
        #expect(failed.nextAttemptAt != nil)
        failed.nextAttemptAt = Date().addingTimeInterval(1000)
        try await firstStore.commit([.attempt(failed)])
        await firstStore.close()

        let clock = VirtualClock()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let resumed = try #require(try await runtime(store, clock: clock, outcomes: [.fails, .succeeds]).recover().first)
        await clock.waitForSleepers(1)
        #expect(await !resumed.instance.isParked, "a node an earlier process began retries in its task")
        #expect(
            clock.sleeps.count == 1 && clock.sleeps.allSatisfy { $0 > .seconds(900) && $0 <= .seconds(1000) },
            "what is left, not a new 10 s: \(clock.sleeps)")
        clock.advance(by: .seconds(1000))
        await clock.waitForSleeps(count: 2)
        #expect(clock.sleeps.last == .seconds(20), "the back-off after attempt 2 of all: \(clock.sleeps)")
        clock.advance(by: .seconds(20))
        let result = try await resumed.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["r"]?.attempts == 3)
        #expect(try await store.attempts(of: id).filter { $0.nodeID == "r" }.map(\.attempt) == [1, 2, 3])
        var live: [WorkflowEvent] = []
        for await event in resumed.events { live.append(event) }
        let stored = try await store.events(of: id)
        #expect(stored.map(\.sequence) == Array(0..<stored.count))
        #expect(stored.map(\.sequence) == live.map(\.sequence))
        await store.close()
    }
}
