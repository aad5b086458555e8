import Dispatch
import Testing

@testable import Troupe

@Suite("Group commit queue: carrying failed submitted writes, gathering waiters", .timeLimit(.minutes(1)))
struct GroupCommitQueueTests {
    /// A submitted write: nobody awaits it.
    private static var submitted: GroupCommitQueue.Job { GroupCommitQueue.Job(work: { _ in }, done: nil) }
    /// An awaited write.
    private static var awaited: GroupCommitQueue.Job { GroupCommitQueue.Job(work: { _ in }, done: { _ in }) }

    /// `queue.next` on a thread of its own, as the writer calls it.
    private static func nextBatch(of queue: GroupCommitQueue, gathering: GroupCommitQueue.Gathering) async -> [GroupCommitQueue.Job]? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: queue.next(limit: 100, gathering: gathering)) }
        }
    }

    @Test("after a batch, the writer waits until the waiters it woke have queued their next writes")
    func gathersTheWaitersItWoke() async throws {
        let queue = GroupCommitQueue()
        #expect(queue.enqueue(Self.awaited), "came during the last commit")
        // Two waiters woken: the batch waits for both besides the one already queued.
        let batch = Task { await Self.nextBatch(of: queue, gathering: .init(woken: 2, atMost: .seconds(600))) }
        while !queue.isGathering { await Task.yield() }
        #expect(queue.enqueue(Self.submitted))
        #expect(queue.enqueue(Self.awaited))
        #expect(queue.isGathering, "a submitted write and one of the two waiters do not end the wait")
        #expect(queue.enqueue(Self.awaited))
        let taken = try #require(await batch.value)
        #expect(taken.count == 4, "all in one batch")
        queue.close()
    }

    @Test("a lone waiter coming back is not held up, and closing ends a wait")
    func aLoneWaiterGoesAtOnce() async throws {
        let queue = GroupCommitQueue()
        let batch = Task { await Self.nextBatch(of: queue, gathering: .init(woken: 1, atMost: .seconds(600))) }
        while !queue.isGathering { await Task.yield() }
        #expect(queue.enqueue(Self.awaited))
        #expect(try #require(await batch.value).count == 1)
        let waiting = Task { await Self.nextBatch(of: queue, gathering: .init(woken: 5, atMost: .seconds(600))) }
        while !queue.isGathering { await Task.yield() }
        #expect(queue.enqueue(Self.awaited))
        queue.close()
        #expect(try #require(await waiting.value).count == 1, "a closing queue hands over what it has")
        #expect(queue.next(limit: 10) == nil)
    }

    @Test("go once more in front of what came after, then are dropped")
    func carriedOnce() throws {
        let queue = GroupCommitQueue()
        #expect(queue.enqueue(Self.submitted))
        #expect(queue.enqueue(Self.submitted))
        // Closed, the writer takes what is left at once instead of lingering for an awaited write.
        queue.close()
        let first = try #require(queue.next(limit: 1))
        #expect(first.count == 1 && !first[0].carried)
        queue.carry(first)
        let second = try #require(queue.next(limit: 10))
        #expect(second.count == 2, "the carried job goes with the next batch")
        #expect(second[0].carried && !second[1].carried, "in front of the job that came after it")
        queue.carry(second)
        let third = try #require(queue.next(limit: 10))
        #expect(third.count == 1 && third[0].carried, "only the job that had not gone back before goes again")
        queue.carry(third)
        #expect(queue.next(limit: 10) == nil, "a second failure drops it")
    }
}
