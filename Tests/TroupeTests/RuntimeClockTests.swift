import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// The runtime clock's timers: one task sleeps for all of them, each fires once at its time unless
/// it is taken back first.
@Suite("Runtime clock timers", .timeLimit(.minutes(1)))
struct RuntimeClockTests {
    /// A parked wait that hands each way it ended to the test, in order.
    private final class RecordedWait: ParkedWait {
        let name: String
        private let continuation: AsyncStream<(String, Result<JSONValue, any Error>)>.Continuation

        init(_ name: String, into continuation: AsyncStream<(String, Result<JSONValue, any Error>)>.Continuation) {
            self.name = name
            self.continuation = continuation
        }

        func waitEnded(_ received: Result<JSONValue, any Error>) { continuation.yield((name, received)) }

        func recorded(_ kind: String, node: String, signal: String) {}
    }

    @Test("timers scheduled out of order fire in due order, each once the clock reaches it, with one task sleeping at a time")
    func dueOrder() async throws {
        let clock = VirtualClock()
        let timers = RuntimeClock(clock)
        let (ended, continuation) = AsyncStream.makeStream(of: (String, Result<JSONValue, any Error>).self)
        let waits = [5, 2, 9, 2, 7].enumerated().map { (RecordedWait("w\($0.offset)", into: continuation), $0.element) }
        for (wait, seconds) in waits { timers.schedule(wait, after: .seconds(seconds), .wake(.integer(seconds))) }
        await clock.waitForSleepers(1)
        #expect(clock.pendingSleepers == 1)
        #expect(timers.pendingTimers == 5)
        var iterator = ended.makeAsyncIterator()
        var order: [String] = []
        for (step, expected) in [(2, 2), (5, 1), (7, 1), (9, 1)] {
            clock.advance(by: .seconds(step) - clock.now.offset)
            for _ in 0..<expected {
                let (name, received) = try #require(await iterator.next())
                #expect(try received.get() == .integer(step))
                order.append(name)
            }
            await clock.waitForSleepers(step == 9 ? 0 : 1)
        }
        #expect(order == ["w1", "w3", "w0", "w4", "w2"])
        #expect(timers.pendingTimers == 0)
        #expect(clock.pendingSleepers == 0)
    }

    @Test("a timer taken back is handed to the caller and never fires; one that fired is not handed back")
    func cancelOrFire() async throws {
        let clock = VirtualClock()
        let timers = RuntimeClock(clock)
        let (ended, continuation) = AsyncStream.makeStream(of: (String, Result<JSONValue, any Error>).self)
        let kept = RecordedWait("kept", into: continuation)
        let taken = RecordedWait("taken", into: continuation)
        timers.schedule(kept, after: .seconds(1), .wake("kept"))
        timers.schedule(taken, after: .seconds(1), .wake("taken"))
        #expect(timers.cancelTimer(of: taken) === taken)
        #expect(timers.cancelTimer(of: taken) == nil)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(1))
        var iterator = ended.makeAsyncIterator()
        let (name, received) = try #require(await iterator.next())
        #expect(name == "kept")
        #expect(try received.get() == "kept")
        #expect(timers.cancelTimer(of: kept) == nil)
        continuation.finish()
        #expect(await iterator.next() == nil)
    }

    @Test("a wait scheduled again keeps only its new timer; the last timer taken back leaves no task sleeping")
    func rescheduleAndIdle() async throws {
        let clock = VirtualClock()
        let timers = RuntimeClock(clock)
        let (ended, continuation) = AsyncStream.makeStream(of: (String, Result<JSONValue, any Error>).self)
        let wait = RecordedWait("wait", into: continuation)
        timers.schedule(wait, after: .seconds(1), .wake("first"))
        timers.schedule(wait, after: .seconds(3), .wake("second"))
        #expect(timers.pendingTimers == 1)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(1))
        // The first time's entry is skipped: the task sleeps on for the second.
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(2))
        var iterator = ended.makeAsyncIterator()
        let (_, received) = try #require(await iterator.next())
        #expect(try received.get() == "second")
        timers.schedule(wait, after: .seconds(10), .wake("third"))
        await clock.waitForSleepers(1)
        #expect(timers.cancelTimer(of: wait) === wait)
        #expect(clock.pendingSleepers == 0)
    }

    @Test("a parked wait's timeout ends it through its mailbox, which tells it once")
    func timeOutThroughTheMailbox() async throws {
        let clock = VirtualClock()
        let timers = RuntimeClock(clock)
        let (ended, continuation) = AsyncStream.makeStream(of: (String, Result<JSONValue, any Error>).self)
        let wait = RecordedWait("approval", into: continuation)
        let log = EventLog(instanceID: InstanceID(rawValue: 1), plan: ExecutionPlan(Fixtures.chain(["approval"])), hub: EventHub())
        let mailbox = SignalMailbox(signalByNode: [0: "approve"], openNodes: ["approve": 1], waitingOnce: [], log: log)
        guard case .parked(let waiter) = mailbox.park("approve", node: "approval", wait: wait) else {
            Issue.record("the wait did not park")
            return
        }
        let timeout = SignalTimeout(node: "approval", signal: "approve", timeout: .seconds(5))
        timers.schedule(wait, after: .seconds(5), .timeOut(waiter: waiter, mailbox: mailbox, timeout))
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        var iterator = ended.makeAsyncIterator()
        let (_, received) = try #require(await iterator.next())
        #expect(throws: SignalTimeout.self) { try received.get() }
        // A cancel coming late finds no waiter: the wait was told once.
        mailbox.withdraw(waiter)
        continuation.finish()
        #expect(await iterator.next() == nil)
    }

    @Test("stress: waits scheduled and taken back from many tasks at once each end exactly once")
    func concurrentScheduleAndCancel() async throws {
        let clock = VirtualClock()
        let timers = RuntimeClock(clock)
        let (ended, continuation) = AsyncStream.makeStream(of: (String, Result<JSONValue, any Error>).self)
        let waits = (0..<400).map { RecordedWait("w\($0)", into: continuation) }
        await withTaskGroup(of: Void.self) { group in
            for (index, wait) in waits.enumerated() {
                group.addTask {
                    timers.schedule(wait, after: .seconds(index % 7 + 1), .wake(.integer(index)))
                    if index.isMultiple(of: 3), let taken = timers.cancelTimer(of: wait) { taken.waitEnded(.failure(CancellationError())) }
                }
            }
        }
        #expect(timers.pendingTimers == waits.count - (0..<400).filter { $0.isMultiple(of: 3) }.count)
        clock.advance(by: .seconds(7))
        var seen: [String: Int] = [:]
        var iterator = ended.makeAsyncIterator()
        for _ in waits {
            let (name, _) = try #require(await iterator.next())
            seen[name, default: 0] += 1
        }
        #expect(seen.count == waits.count)
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect(timers.pendingTimers == 0)
    }
}
