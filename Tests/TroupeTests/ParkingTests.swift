import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// An instance whose only runnable node is a `wait` node parks: its task ends, and the signal (or a
/// cancel) starts the one that goes on.
@Suite("Instances parked at a wait node hold no task", .timeLimit(.minutes(2)))
struct ParkingTests {
    /// `first` → `approval` (wait) → `last`, all but the wait node echo nodes.
    private func approvalFlow(strategy: ExecutionStrategy = .dag(), waitConfig: JSONValue = .null) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "parked",
            nodes: [
                NodeDefinition("first", kind: "echo"), NodeDefinition("approval", kind: "wait", config: waitConfig),
                NodeDefinition("last", kind: "echo"),
            ],
            edges: [EdgeDefinition(from: "first", to: "approval"), EdgeDefinition(from: "approval", to: "last")], strategy: strategy)
    }

    /// Returns once the instance's task has left: the instance is parked.
    private func untilParked(_ handle: WorkflowHandle) async {
        await handle.untilWaiting()
        while await !handle.instance.isParked { await Task.yield() }
    }

    /// Memory: a parked instance keeps no node actor, not even its waiting node's, which is made
    /// again when the signal comes and goes on with the attempt that began the wait.
    @Test func aParkedInstanceHoldsNoNodeActor() async throws {
        let runtime = Fixtures.runtime()
        let handle = try await runtime.start(approvalFlow())
        await untilParked(handle)
        #expect(await handle.instance.heldNodeActors.isEmpty)
        #expect(await !handle.instance.holdsNodeActorList)
        #expect(handle.signal("approval", "yes"))
        let result = try await handle.result
        #expect(result.status == .completed)
        #expect(result.nodes.values.allSatisfy { $0.status == .completed && $0.attempts == 1 })
        #expect(result.nodes["approval"]?.output == "yes")
        #expect(await handle.instance.heldNodeActors.isEmpty)
    }

    @Test(
        "a parked instance is listed while it waits, completes on its signal with every event in order, and is unlisted",
        arguments: [
            ExecutionStrategy.dag(), .sequential,
        ])
    func signalled(strategy: ExecutionStrategy) async throws {
        let runtime = Fixtures.runtime()
        let handle = try await runtime.start(approvalFlow(strategy: strategy))
        await untilParked(handle)
        #expect(runtime.running.map(\.id) == [handle.id])
        #expect(handle.signal("approval", "yes"))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["approval"]?.output == "yes")
        #expect(result.nodes["last"]?.status == .completed)
        let labels = await handle.eventKinds().map(\.label)
        #expect(
            labels == [
                "instanceStarted", "nodeStarted first 1", "nodeCompleted first", "nodeStarted approval 1", "nodeWaiting approval",
                "nodeSignalled approval", "nodeCompleted approval", "nodeStarted last 1", "nodeCompleted last", "completed",
            ], "\(labels)")
        var sequences: [Int] = []
        for await event in handle.events { sequences.append(event.sequence) }
        #expect(sequences == Array(0..<labels.count))
        while !runtime.running.isEmpty { await Task.yield() }
    }

    @Test("a node with a timeout interceptor, or a workflow with a deadline, waits in its task as before")
    func notParkedWhenTimed() async throws {
        let runtime = Fixtures.runtime()
        var intercepted = approvalFlow()
        intercepted.nodes[1].timeout = .seconds(3600)
        let timed = try await runtime.start(intercepted)
        var deadlined = approvalFlow()
        deadlined.deadline = .seconds(3600)
        let withDeadline = try await runtime.start(deadlined)
        for handle in [timed, withDeadline] {
            await handle.untilWaiting()
            #expect(await !handle.instance.isParked)
            #expect(handle.signal("approval", 1))
            #expect(try await handle.result.status == .completed)
        }
    }

    @Test("cancelling a parked instance ends it cancelled; so does a shutdown that does not wait")
    func cancelAndShutdown() async throws {
        let runtime = Fixtures.runtime()
        let prepared = try runtime.prepare(approvalFlow())
        let cancelled = runtime.start(prepared)
        let shutDown = runtime.start(prepared)
        await untilParked(cancelled)
        await untilParked(shutDown)
        cancelled.cancel()
        let result = try await cancelled.result
        #expect(result.status == .cancelled)
        #expect(result.nodes["approval"]?.status == .cancelled)
        #expect(result.nodes["last"]?.status == .skipped || result.nodes["last"]?.status == .cancelled)
        await runtime.shutdown(gracefully: false)
        #expect(try await shutDown.result.status == .cancelled)
        #expect(runtime.running.isEmpty)
    }

    @Test("a parked instance paused, then signalled, finishes only when resumed")
    func pausedWhileParked() async throws {
        let runtime = Fixtures.runtime()
        let handle = try await runtime.start(approvalFlow())
        await untilParked(handle)
        #expect(await handle.pause())
        #expect(handle.signal("approval", 1))
        // The signal's task goes on until the pause holds it before `last`.
        for await event in handle.events where event.kind.label == "nodeCompleted approval" { break }
        #expect(await handle.status == .paused)
        #expect(await handle.resume())
        let result = try await handle.result
        #expect(result.status == .completed)
        #expect(result.nodes["last"]?.status == .completed)
    }

    @Test("the task going on after the signal has the instance's priority and none of the signaller's task-local values")
    func resumedTaskIsNotTheSignallers() async throws {
        let runtime = Fixtures.runtime()
        let seen = LockedValue<(priority: TaskPriority, tag: String?)?>(nil)
        try runtime.register(kind: "probe") { _ in
            seen.withLock { $0 = (Task.currentPriority, SignallerTag.value) }
            return .null
        }
        var flow = approvalFlow()
        flow.nodes[2] = NodeDefinition("last", kind: "probe")
        let handle = try await Task(priority: .high) { try await runtime.start(flow) }.value
        await untilParked(handle)
        let delivered = await Task(priority: .low) { SignallerTag.$value.withValue("signaller") { handle.signal("approval", "yes") } }.value
        #expect(delivered)
        #expect(try await handle.result.status == .completed)
        let observed = seen.withLock { $0 }
        #expect(observed?.priority == .high)
        #expect(observed?.tag == nil)
    }

    @Test("stress: signals racing the parking, each instance completes once with its own value")
    func signalsRacingParking() async throws {
        let runtime = Fixtures.runtime()
        let prepared = try runtime.prepare(approvalFlow())
        let handles = (0..<400).map { runtime.start(prepared, input: .integer($0)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, handle) in handles.enumerated() {
                group.addTask {
                    // Half are signalled at once (kept, or arriving while the task leaves), half once parked.
                    if index.isMultiple(of: 2) { await handle.untilWaiting() }
                    #expect(handle.signal("approval", .integer(index)))
                    let result = try await handle.result
                    #expect(result.status == .completed)
                    #expect(result.nodes["approval"]?.output == .integer(index))
                    #expect(await handle.eventKinds().filter(\.isFinal).count == 1)
                }
            }
            try await group.waitForAll()
        }
        while !runtime.running.isEmpty { await Task.yield() }
    }
}

/// A task-local value a signaller sets, which the instance's own tasks must not see.
private enum SignallerTag {
    @TaskLocal static var value: String?
}
