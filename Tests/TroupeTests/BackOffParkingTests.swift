import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A node whose outermost interceptor is a retry has its retries driven by its instance, which
/// parks for each back-off when the node is the only one that can run: no task waits out the delay.
@Suite("Instances parked for a retry's back-off hold no task", .timeLimit(.minutes(2)))
struct BackOffParkingTests {
    /// Counts a kind's calls, failing those before `failures` more.
    private final class Flaky: Sendable {
        private let calls = LockedValue(0)
        let failures: Int

        init(failures: Int) { self.failures = failures }

        var count: Int { calls.withLock { $0 } }

        func call() throws -> JSONValue {
            let call = calls.withLock { count -> Int in
                count += 1
                return count
            }
            guard call > failures else { throw ExecutionError(type: "Flaky", message: "call \(call) failed") }
            return .integer(call)
        }
    }

    /// An interceptor inside the retry that fails every call before it reaches the executor.
    private struct Refusing: NodeInterceptor {
        let calls: LockedValue<Int>

        func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
            calls.withLock { $0 += 1 }
            throw ExecutionError(type: "Refused", message: "refused attempt \(call.attempt)")
        }
    }

    /// `first` → `flaky` (retried: 10 s, then 20 s, at most `attempts`) → `last`. With `inside`, the
    /// retry is the node's first interceptor, named, and those interceptors come after it.
    private func flow(attempts: Int = 3, deadline: Duration? = nil, inside: [InterceptorReference] = []) -> WorkflowDefinition {
        var flaky = NodeDefinition("flaky", kind: "flaky")
        if inside.isEmpty {
            flaky.retry = RetryPolicy(maximumAttempts: attempts, initialInterval: .seconds(10), backoffCoefficient: 2)
        } else {
            let retry = InterceptorReference("retry", config: ["maximumAttempts": .integer(attempts), "initialInterval": 10, "backoffCoefficient": 2])
            flaky.interceptors = [retry] + inside
        }
        var definition = WorkflowDefinition(
            id: "flaky", nodes: [NodeDefinition("first", kind: "echo"), flaky, NodeDefinition("last", kind: "echo")],
            edges: [EdgeDefinition(from: "first", to: "flaky"), EdgeDefinition(from: "flaky", to: "last")])
        definition.deadline = deadline
        return definition
    }

    private func runtime(on clock: VirtualClock, flaky: Flaky) -> WorkflowRuntime {
        let runtime = Fixtures.runtime(clock: clock)
        try! runtime.register(kind: "flaky") { _ in try flaky.call() }
        return runtime
    }

    /// Returns once `attempts` attempts have been made and the instance is parked after the last.
    private func untilParked(_ handle: WorkflowHandle, after attempts: Int, of calls: () -> Int) async {
        while calls() < attempts { await Task.yield() }
        while await !handle.instance.isParked { await Task.yield() }
    }

    @Test("parked between attempts, the node keeps its actor and ends as the retry interceptor in a task would have it")
    func parkedBackOffs() async throws {
        let clock = VirtualClock()
        let flaky = Flaky(failures: 2)
        let runtime = runtime(on: clock, flaky: flaky)
        let handle = try await runtime.start(flow())
        await untilParked(handle, after: 1) { flaky.count }
        #expect(await handle.instance.heldNodeActors == [1])
        #expect(runtime.instanceClock.pendingTimers == 1)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(9))
        #expect(flaky.count == 1)
        clock.advance(by: .seconds(1))
        await untilParked(handle, after: 2) { flaky.count }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(20))
        let parked = try await handle.result
        #expect(parked.status == .completed, "\(parked.error ?? "")")
        #expect(parked.nodes["flaky"]?.attempts == 3)
        #expect(parked.nodes["flaky"]?.output == 3)
        #expect(clock.sleeps == [.seconds(10), .seconds(20)])
        let parkedEvents = await handle.eventKinds()

        // The same workflow with a deadline waits out its back-offs in its task.
        let inTask = VirtualClock()
        let again = Flaky(failures: 2)
        let taskRuntime = self.runtime(on: inTask, flaky: again)
        let held = try await taskRuntime.start(flow(deadline: .seconds(86_400)))
        await inTask.waitForSleeps(count: 2)
        #expect(await !held.instance.isParked)
        inTask.advance(by: .seconds(10))
        await inTask.waitForSleeps(count: 3)
        inTask.advance(by: .seconds(20))
        let waited = try await held.result
        #expect(waited.status == parked.status)
        #expect(waited.nodes["flaky"]?.attempts == parked.nodes["flaky"]?.attempts)
        #expect(waited.nodes["flaky"]?.output == parked.nodes["flaky"]?.output)
        #expect(await held.eventKinds().map(\.label) == parkedEvents.map(\.label))
    }

    @Test("attempts that run out while parked fail the node with the last error, after maximumAttempts")
    func retriesRunOut() async throws {
        let clock = VirtualClock()
        let flaky = Flaky(failures: 10)
        let runtime = runtime(on: clock, flaky: flaky)
        let handle = try await runtime.start(flow(attempts: 3))
        for attempt in 1...2 {
            await untilParked(handle, after: attempt) { flaky.count }
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(100))
        }
        let result = try await handle.result
        #expect(result.status == .failed)
        #expect(result.nodes["flaky"]?.status == .failed)
        #expect(result.nodes["flaky"]?.attempts == 3)
        #expect(result.nodes["flaky"]?.error == "Flaky: call 3 failed")
        #expect(result.nodes["last"]?.status == .skipped)
        #expect(flaky.count == 3)
        #expect(runtime.instanceClock.pendingTimers == 0)
    }

    @Test("attempts an interceptor inside the retry refuses before the executor still count toward maximumAttempts")
    func refusedAttemptsCount() async throws {
        let clock = VirtualClock()
        let runtime = runtime(on: clock, flaky: Flaky(failures: 0))
        let calls = LockedValue(0)
        try runtime.registry.register(interceptor: "refusing") { _ in Refusing(calls: calls) }
        let handle = try await runtime.start(flow(attempts: 3, inside: [InterceptorReference("refusing")]))
        for attempt in 1...2 {
            await untilParked(handle, after: attempt) { calls.withLock { $0 } }
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(100))
        }
        let result = try await handle.result
        #expect(result.status == .failed)
        #expect(result.nodes["flaky"]?.errorType == "Refused")
        #expect(result.nodes["flaky"]?.error == "Refused: refused attempt 3")
        #expect(calls.withLock { $0 } == 3)
    }

    @Test("a retry interceptor the host made waits on its own clock, in the instance's task: only the runtime's retries park")
    func hostRetryDoesNotPark() async throws {
        let clock = VirtualClock()
        let hostClock = VirtualClock()
        let flaky = Flaky(failures: 1)
        let runtime = runtime(on: clock, flaky: flaky)
        runtime.use(RetryInterceptor(policy: RetryPolicy(maximumAttempts: 2, initialInterval: .seconds(5)), clock: hostClock))
        var definition = flow()
        definition.nodes[1].retry = nil
        let handle = try await runtime.start(definition)
        await hostClock.waitForSleepers(1)
        #expect(await !handle.instance.isParked)
        #expect(runtime.instanceClock.pendingTimers == 0)
        hostClock.advance(by: .seconds(5))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["flaky"]?.attempts == 2)
        #expect(clock.sleeps.isEmpty)
    }

    @Test("cancelling an instance parked for a back-off ends the node cancelled and takes the timer back")
    func cancelWhileBackingOff() async throws {
        let clock = VirtualClock()
        let flaky = Flaky(failures: 10)
        let runtime = runtime(on: clock, flaky: flaky)
        let handle = try await runtime.start(flow())
        await untilParked(handle, after: 1) { flaky.count }
        handle.cancel()
        let result = try await handle.result
        #expect(result.status == .cancelled)
        #expect(result.nodes["flaky"]?.status == .cancelled)
        #expect(result.nodes["flaky"]?.attempts == 1)
        #expect(runtime.instanceClock.pendingTimers == 0)
        #expect(clock.pendingSleepers == 0)
        #expect(flaky.count == 1)
    }

    @Test("stress: cancels racing the back-off's end, each instance ends once and runs no attempt after its end")
    func cancelsRacingBackOffs() async throws {
        let clock = VirtualClock()
        let flaky = Flaky(failures: 0)
        let failing = LockedValue<Set<Int>>([])
        let runtime = Fixtures.runtime(clock: clock)
        // Each instance's first attempt fails; its second succeeds.
        try runtime.register(kind: "flaky") { call in
            let input = call.input.integerValue ?? -1
            guard failing.withLock({ $0.insert(input).inserted }) else { return try flaky.call() }
            throw ExecutionError(type: "Flaky", message: "first attempt of \(input)")
        }
        let prepared = try runtime.prepare(flow())
        let handles = (0..<300).map { runtime.start(prepared, input: .integer($0)) }
        for handle in handles { while await !handle.instance.isParked { await Task.yield() } }
        await clock.waitForSleepers(1)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { clock.advance(by: .seconds(10)) }
            for (index, handle) in handles.enumerated() where index.isMultiple(of: 2) { group.addTask { handle.cancel() } }
        }
        var completed = 0
        for (index, handle) in handles.enumerated() {
            let result = try await handle.result
            if result.status == .completed { completed += 1 }
            #expect(result.status == .completed || (index.isMultiple(of: 2) && result.status == .cancelled), "\(result.error ?? "")")
            #expect(result.nodes["flaky"]?.attempts ?? 0 <= 2)
            #expect(await handle.eventKinds().filter(\.isFinal).count == 1)
        }
        // Every instance that completed ran its second attempt, and only those (a cancelled one may have run it too).
        #expect(flaky.count >= completed)
        #expect(runtime.instanceClock.pendingTimers == 0)
    }
}
