import Testing
import Troupe
import TroupeTesting

@Suite("TroupeTesting's virtual clock and recording helpers", .timeLimit(.minutes(1)))
struct VirtualClockTests {
    @Test("sleeping in a task that is already cancelled throws at once")
    func cancelledBeforeSleeping() async throws {
        let clock = VirtualClock()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(10))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.pendingSleepers == 0)
    }

    @Test("cancelling a sleeper wakes it with CancellationError; advancing wakes only the due ones, earliest first")
    func cancelAndAdvance() async throws {
        let clock = VirtualClock()
        let order = Journal()
        let long = Task { try await clock.sleep(for: .seconds(10)) }
        let first = Task {
            try await clock.sleep(for: .seconds(2))
            order.record("2")
        }
        let second = Task {
            try await clock.sleep(for: .seconds(3))
            order.record("3")
        }
        await clock.waitForSleepers(3)
        long.cancel()
        await #expect(throws: CancellationError.self) { try await long.value }
        clock.advance(by: .seconds(5))
        try await first.value
        try await second.value
        #expect(Set(order.recorded) == ["2", "3"])
        #expect(clock.pendingSleepers == 0)
        #expect(clock.sleeps == [.seconds(10), .seconds(2), .seconds(3)] || Set(clock.sleeps) == [.seconds(10), .seconds(2), .seconds(3)])
    }

    @Test("waitForSleepers counts sleepers waiting now, however many slept before")
    func sleepersNow() async throws {
        let clock = VirtualClock()
        try await clock.sleep(for: .zero)
        let task = Task { try await clock.sleep(for: .seconds(1)) }
        await clock.waitForSleepers(1)
        #expect(clock.pendingSleepers == 1)
        clock.advance(by: .seconds(1))
        try await task.value
    }

    @Test("waitForSleepers and waitForSleeps return when their task is cancelled, so a sleep that never comes cannot hold up the run")
    func waitsEndOnCancellation() async {
        let clock = VirtualClock()
        let sleepers = Task { await clock.waitForSleepers(1) }
        let sleeps = Task { await clock.waitForSleeps(count: 1) }
        sleepers.cancel()
        sleeps.cancel()
        await sleepers.value
        await sleeps.value
        // Begun in a task that is already cancelled, a wait returns at once.
        let late = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await clock.waitForSleepers(5)
        }
        await late.value
        #expect(clock.pendingSleepers == 0)
        #expect(clock.sleeps.isEmpty)
    }

    @Test("stress: waits cancelled while a sleeper arrives all return, and the sleeper is still there to wake")
    func cancelledWaitsRacingSleepers() async throws {
        for _ in 0..<500 {
            let clock = VirtualClock()
            let waiter = Task { await clock.waitForSleepers(1) }
            let counter = Task { await clock.waitForSleeps(count: 1) }
            let sleeper = Task { try await clock.sleep(for: .seconds(1)) }
            waiter.cancel()
            counter.cancel()
            await waiter.value
            await counter.value
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(1))
            try await sleeper.value
            #expect(clock.pendingSleepers == 0)
        }
    }

    @Test("RecordingNodeContext records what a chain reports, so interceptors can be tested without a runtime")
    func recordingContext() async throws {
        let clock = VirtualClock()
        let retry = RetryInterceptor(policy: RetryPolicy(maximumAttempts: 2, initialInterval: .seconds(1)), clock: clock)
        struct Failing: NodeHandler {
            func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue {
                await context.attemptStarting(call)
                await context.attemptFailed(call, error: ExecutionError(type: "X", message: "no"))
                throw ExecutionError(type: "X", message: "no")
            }
        }
        let context = RecordingNodeContext()
        let call = NodeCall(instanceID: InstanceID(rawValue: 1), workflowID: "w", nodeID: "n", kind: "k")
        let running = Task { try await retry.intercept(call, context: context, next: Failing()) }
        await clock.waitForSleepers()
        clock.advance(by: .seconds(1))
        await #expect(throws: ExecutionError.self) { try await running.value }
        #expect(
            context.recorded == [
                .attemptStarting(attempt: 1), .attemptFailed(attempt: 1, error: "X: no"),
                .retrying(attempt: 1, delay: .seconds(1), error: "X: no"),
                .attemptStarting(attempt: 2), .attemptFailed(attempt: 2, error: "X: no"),
            ])
    }
}
