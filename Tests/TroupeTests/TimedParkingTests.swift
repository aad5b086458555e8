import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// An instance whose only runnable node waits for time (a `sleep` node, or a `wait` node's timeout)
/// parks: its task ends, and the runtime clock's one sleeping task wakes it when the time comes.
@Suite("Instances parked for a time hold no task", .timeLimit(.minutes(2)))
struct TimedParkingTests {
    /// `first` → `nap` (sleep) → `last`; `last` outputs the virtual time it ran at, in seconds.
    private func napFlow(seconds: Int, strategy: ExecutionStrategy = .dag()) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "nap",
            nodes: [
                NodeDefinition("first", kind: "echo"), NodeDefinition("nap", kind: "sleep", config: ["seconds": .integer(seconds)]),
                NodeDefinition("last", kind: "stamp"),
            ],
            edges: [EdgeDefinition(from: "first", to: "nap"), EdgeDefinition(from: "nap", to: "last")], strategy: strategy)
    }

    /// `first` → `approval` (wait, with a timeout) → `last`.
    private func approvalFlow(timeout: Int) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "approval",
            nodes: [
                NodeDefinition("first", kind: "echo"), NodeDefinition("approval", kind: "wait", config: ["timeout": .integer(timeout)]),
                NodeDefinition("last", kind: "echo"),
            ],
            edges: [EdgeDefinition(from: "first", to: "approval"), EdgeDefinition(from: "approval", to: "last")])
    }

    /// A runtime on `clock` with the `stamp` kind, which outputs the clock's time in whole seconds.
    private func runtime(on clock: VirtualClock) -> WorkflowRuntime {
        let runtime = Fixtures.runtime(clock: clock)
        try! runtime.register(kind: "stamp") { _ in .integer(Int(clock.now.offset.components.seconds)) }
        return runtime
    }

    /// Returns once the instance's task has left: the instance is parked.
    private func untilParked(_ handle: WorkflowHandle) async {
        while await !handle.instance.isParked { await Task.yield() }
    }

    @Test(
        "a sleep node that is the only runnable one parks its instance until the clock reaches its time",
        arguments: [ExecutionStrategy.dag(), .sequential])
    func sleepParks(strategy: ExecutionStrategy) async throws {
        let clock = VirtualClock()
        let runtime = runtime(on: clock)
        let handle = try await runtime.start(napFlow(seconds: 30, strategy: strategy))
        await untilParked(handle)
        #expect(await handle.instance.heldNodeActors.isEmpty)
        #expect(runtime.instanceClock.pendingTimers == 1)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(29))
        // Not due: the clock's task still sleeps, and nothing woke the instance.
        #expect(clock.pendingSleepers == 1)
        #expect(await handle.instance.isParked)
        clock.advance(by: .seconds(1))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["nap"]?.output == ["slept": 30.0])
        #expect(result.nodes["nap"]?.attempts == 1)
        #expect(result.nodes["last"]?.output == 30)
        let labels = await handle.eventKinds().map(\.label)
        #expect(
            labels == [
                "instanceStarted", "nodeStarted first 1", "nodeCompleted first", "nodeStarted nap 1", "nodeCompleted nap", "nodeStarted last 1",
                "nodeCompleted last", "completed",
            ], "\(labels)")
        #expect(runtime.instanceClock.pendingTimers == 0)
        #expect(clock.pendingSleepers == 0)
    }

    @Test("instances parked at sleeps of different lengths share one sleeping task, and each wakes at its own time")
    func manySleepsShareOneTask() async throws {
        let clock = VirtualClock()
        let runtime = runtime(on: clock)
        let prepared = try (1...5).map { try runtime.prepare(napFlow(seconds: $0)) }
        // Started in no particular order of due time.
        let handles = (0..<200).map { index in (seconds: index % 5 + 1, handle: runtime.start(prepared[index % 5])) }
        for (_, handle) in handles { await untilParked(handle) }
        #expect(runtime.instanceClock.pendingTimers == 200)
        await clock.waitForSleepers(1)
        #expect(clock.pendingSleepers == 1)
        for second in 1...5 {
            clock.advance(by: .seconds(1))
            for (seconds, handle) in handles where seconds == second {
                let result = try await handle.result
                #expect(result.status == .completed, "\(result.error ?? "")")
                #expect(result.nodes["last"]?.output == .integer(second))
            }
            for (seconds, handle) in handles where seconds > second { #expect(await handle.instance.isParked) }
        }
        #expect(runtime.instanceClock.pendingTimers == 0)
    }

    @Test("a wait node with a timeout parks; past the timeout it fails with SignalTimeout and later signals are refused")
    func waitTimeoutParks() async throws {
        let clock = VirtualClock()
        let runtime = runtime(on: clock)
        let handle = try await runtime.start(approvalFlow(timeout: 5))
        await untilParked(handle)
        #expect(runtime.instanceClock.pendingTimers == 1)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        let result = try await handle.result
        #expect(result.status == .failed)
        #expect(result.nodes["approval"]?.status == .failed)
        #expect(result.nodes["approval"]?.errorType == "SignalTimeout")
        #expect(result.nodes["last"]?.status == .skipped)
        #expect(!handle.signal("approval"))
        #expect(runtime.instanceClock.pendingTimers == 0)
    }

    @Test("a signal before the timeout completes the parked wait and takes its timer back")
    func signalBeforeTimeout() async throws {
        let clock = VirtualClock()
        let runtime = runtime(on: clock)
        let handle = try await runtime.start(approvalFlow(timeout: 5))
        await untilParked(handle)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(4))
        #expect(handle.signal("approval", "yes"))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["approval"]?.output == "yes")
        // Nothing is left to wake: no timer, and no task sleeping on the clock for one.
        #expect(runtime.instanceClock.pendingTimers == 0)
        #expect(clock.pendingSleepers == 0)
    }

    @Test("cancelling an instance parked at a sleep, or shutting down, ends it cancelled and takes its timer back")
    func cancelWhileSleeping() async throws {
        let clock = VirtualClock()
        let runtime = runtime(on: clock)
        let prepared = try runtime.prepare(napFlow(seconds: 60))
        let cancelled = runtime.start(prepared)
        let shutDown = runtime.start(prepared)
        await untilParked(cancelled)
        await untilParked(shutDown)
        cancelled.cancel()
        let result = try await cancelled.result
        #expect(result.status == .cancelled)
        #expect(result.nodes["nap"]?.status == .cancelled)
        #expect(result.nodes["last"]?.status == .skipped || result.nodes["last"]?.status == .cancelled)
        #expect(runtime.instanceClock.pendingTimers == 1)
        await runtime.shutdown(gracefully: false)
        #expect(try await shutDown.result.status == .cancelled)
        #expect(runtime.instanceClock.pendingTimers == 0)
        #expect(clock.pendingSleepers == 0)
        #expect(runtime.running.isEmpty)
    }

    @Test("stress: cancels racing the wake-up, each instance ends once, completed or cancelled")
    func cancelsRacingWakeUps() async throws {
        let clock = VirtualClock()
        let runtime = runtime(on: clock)
        let prepared = try runtime.prepare(napFlow(seconds: 1))
        let handles = (0..<300).map { runtime.start(prepared, input: .integer($0)) }
        for handle in handles { await untilParked(handle) }
        await clock.waitForSleepers(1)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { clock.advance(by: .seconds(1)) }
            for (index, handle) in handles.enumerated() where index.isMultiple(of: 2) { group.addTask { handle.cancel() } }
        }
        for (index, handle) in handles.enumerated() {
            let result = try await handle.result
            if index.isMultiple(of: 2) {
                #expect(result.status == .completed || result.status == .cancelled)
            } else {
                #expect(result.status == .completed, "\(result.error ?? "")")
            }
            #expect(await handle.eventKinds().filter(\.isFinal).count == 1)
        }
        #expect(runtime.instanceClock.pendingTimers == 0)
        while !runtime.running.isEmpty { await Task.yield() }
    }
}
