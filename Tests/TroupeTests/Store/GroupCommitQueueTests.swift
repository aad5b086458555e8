import Testing

@testable import Troupe

@Suite("Group commit queue: submitted writes of a failed transaction", .timeLimit(.minutes(1)))
struct GroupCommitQueueTests {
    /// A submitted write: nobody awaits it.
    private static var submitted: GroupCommitQueue.Job { GroupCommitQueue.Job(work: { _ in }, waiter: nil) }

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
