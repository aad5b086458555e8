import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// The task an instance's cancel must reach, as parking hands it from the task that parked to the
/// one its signal starts: each order in which the two can meet, played on ``InstanceControl``.
@Suite("A parked instance's cancel reaches the task that goes on", .timeLimit(.minutes(1)))
struct ParkingRaceTests {
    /// Attaches to `control` a task that runs until it is cancelled, as a resumed instance's
    /// running node does, and returns it.
    private static func attachTaskUntilCancelled(to control: InstanceControl) -> Task<Void, Never> {
        var attached: Task<Void, Never>?
        control.attach {
            let task = Task { await untilCancelled() }
            attached = task
            return task
        }
        return attached!
    }

    /// The signal's task is kept whether it is attached after the parking task forgot itself (the
    /// usual order) or before (the signal came while the parking task was still leaving), and the
    /// parking task, which ended, is not the one cancelled.
    @Test(arguments: [false, true]) func theSignalsTaskIsKeptWhicheverComesFirst(signalWhileLeaving: Bool) async {
        let control = InstanceControl()
        let parking = Task {}
        control.attach { parking }
        let epoch = control.taskEpoch
        let resumed: Task<Void, Never>
        if signalWhileLeaving {
            resumed = Self.attachTaskUntilCancelled(to: control)
            control.forgetTask(since: epoch)
        } else {
            control.forgetTask(since: epoch)
            resumed = Self.attachTaskUntilCancelled(to: control)
        }
        control.cancel()
        #expect(!parking.isCancelled)
        #expect(resumed.isCancelled)
        await resumed.value
    }

    /// A parked instance has no task: a cancel cancels none, and the task its wait's end starts
    /// is cancelled as it is attached.
    @Test func aTaskAttachedAfterACancelIsCancelledAtOnce() async {
        let control = InstanceControl()
        let first = Task {}
        control.attach { first }
        control.forgetTask(since: control.taskEpoch)
        control.cancel()
        #expect(!first.isCancelled)
        let resumed = Self.attachTaskUntilCancelled(to: control)
        #expect(resumed.isCancelled)
        await resumed.value
    }

    /// Stress: signals race the parking task's leaving, in every interleaving the scheduler finds;
    /// whichever wins, the task attached last is the one a cancel reaches.
    @Test func theLastAttachedTaskIsAlwaysTheOneCancelled() async {
        for _ in 0..<2_000 {
            let control = InstanceControl()
            control.attach { Task {} }
            let epoch = control.taskEpoch
            let signal = Task.detached { Self.attachTaskUntilCancelled(to: control) }
            let leaving = Task.detached { control.forgetTask(since: epoch) }
            await leaving.value
            let resumed = await signal.value
            control.cancel()
            #expect(resumed.isCancelled)
            await resumed.value
        }
    }

    /// Returns once the calling task is cancelled, holding no thread meanwhile.
    private static func untilCancelled() async {
        let waiter = LockedValue<(cancelled: Bool, continuation: CheckedContinuation<Void, Never>?)>((false, nil))
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = waiter.withLock { state -> Bool in
                    if state.cancelled { return true }
                    state.continuation = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let continuation = waiter.withLock { state -> CheckedContinuation<Void, Never>? in
                state.cancelled = true
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume()
        }
    }

    /// The whole runtime: signals and cancels race each parked instance, some while it still leaves
    /// its task. The node after the wait runs until it is cancelled, so an instance whose cancel lost
    /// the signal's task would never end, and the suite's time limit would fail it. The windows are
    /// narrow, so this is the runtime-wide check; the tests above reproduce each order exactly.
    @Test func aCancelRacingTheSignalAlwaysStopsTheNodeAfterTheWait() async throws {
        let runtime = Fixtures.runtime()
        try runtime.register(kind: "hold") { _ in
            await Self.untilCancelled()
            throw CancellationError()
        }
        let workflow = try runtime.prepare(
            WorkflowDefinition(
                id: "held", nodes: [NodeDefinition("approval", kind: "wait"), NodeDefinition("hold", kind: "hold")],
                edges: [EdgeDefinition(from: "approval", to: "hold")]))
        for round in 0..<300 {
            let handle = runtime.start(workflow)
            await handle.untilWaiting()
            // Every other round goes on before the instance has parked: the signal meets the parking task.
            if round.isMultiple(of: 2) { while await !handle.instance.isParked { await Task.yield() } }
            let signal = Task.detached { handle.signal("approval", "yes") }
            let cancel = Task.detached { handle.cancel() }
            _ = await (signal.value, cancel.value)
            let result = try await handle.result
            #expect(result.status == .cancelled, "round \(round)")
        }
    }
}
