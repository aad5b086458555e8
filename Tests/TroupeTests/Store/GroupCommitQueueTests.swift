import Foundation
import Testing

@_spi(Development) @testable import Troupe

@Suite("Group commit queue: submitted writes of a failed transaction, and callers that lead", .timeLimit(.minutes(1)))
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
        #expect(queue.carry(first, reported: true).isEmpty)
        let second = try #require(queue.next(limit: 10))
        #expect(second.count == 2, "the carried job goes with the next batch")
        #expect(second[0].carried && !second[1].carried, "in front of the job that came after it")
        #expect(queue.carry(second, reported: true).isEmpty)
        let third = try #require(queue.next(limit: 10))
        #expect(third.count == 1 && third[0].carried, "only the job that had not gone back before goes again")
        #expect(queue.carry(third, reported: true).isEmpty)
        #expect(queue.next(limit: 10) == nil, "a second failure drops it")
    }

    @Test("dropped beyond the batch limit, they fail the awaited jobs queued behind them")
    func droppedJobsFailTheAwaitedOnesBehindThem() async throws {
        let queue = GroupCommitQueue()
        #expect(queue.enqueue(Self.submitted))
        #expect(queue.enqueue(Self.submitted))
        let awaited = Self.awaitedJob(in: queue)
        while queue.pendingCount < 3 { await Task.yield() }
        // A batch of one: the awaited job lies beyond the limit both times.
        let first = try #require(queue.next(limit: 1))
        #expect(first.count == 1 && first[0].waiter == nil)
        #expect(queue.carry(first, reported: false).isEmpty, "a first failure only sends it back")
        let second = try #require(queue.next(limit: 1))
        #expect(second.count == 1 && second[0].carried)
        let failing = queue.carry(second, reported: false)
        #expect(failing.count == 1 && failing[0].waiter != nil, "submitted after the dropped job, it must not return as if that were durable")
        for job in failing { job.finish(StoreError(type: "Injected", message: "injected")) }
        await #expect(throws: StoreError.self) { try await awaited.value }
        #expect(queue.pendingCount == 1, "the submitted job behind it stays")
        queue.close()
        let last = try #require(queue.next(limit: 10))
        #expect(last.count == 1 && !last[0].carried)
        #expect(queue.next(limit: 10) == nil)
    }

    @Test("with nobody left to tell once closed, a second failure drops everything still queued")
    func aClosedQueueDropsTheRestWithNobodyToTell() throws {
        let queue = GroupCommitQueue()
        #expect(queue.enqueue(Self.submitted))
        #expect(queue.enqueue(Self.submitted))
        queue.close()
        let first = try #require(queue.next(limit: 1))
        #expect(queue.carry(first, reported: false).isEmpty)
        let second = try #require(queue.next(limit: 1))
        #expect(second.count == 1 && second[0].carried)
        #expect(queue.carry(second, reported: false).isEmpty)
        #expect(queue.next(limit: 10) == nil, "the job behind the dropped one goes too: no later write commits without an earlier one")
    }

    @Test("once back after a failure, they wait for an awaited job to go with instead of going alone")
    func carriedJobsWaitForAnAwaitedOne() async throws {
        let queue = GroupCommitQueue()
        #expect(queue.enqueue(Self.submitted))
        let first = Self.awaitedJob(in: queue)
        while queue.pendingCount < 2 { await Task.yield() }
        let failed = try #require(queue.next(limit: 10))
        #expect(queue.carry(failed, reported: true).isEmpty)
        for job in failed { job.finish(StoreError(type: "Injected", message: "injected")) }
        await #expect(throws: StoreError.self) { try await first.value }
        let batch = LockedValue<[GroupCommitQueue.Job]?>(nil)
        let stopped = DispatchSemaphore(value: 0)
        #expect(!queue.writerIsIdle, "busy since it took the failed batch")
        let writer = Thread {
            batch.withLock { $0 = queue.next(limit: 10) }
            stopped.signal()
        }
        writer.start()
        // Idle again only once it waits, the carried job queued alone.
        while !queue.writerIsIdle { await Task.yield() }
        let second = Self.awaitedJob(in: queue)
        stopped.wait()
        let taken = try #require(batch.withLock { $0 })
        #expect(taken.count == 2 && taken[0].carried && taken[1].waiter != nil, "the carried job and the awaited one, in one batch")
        for job in taken { job.finish(nil) }
        try await second.value
        queue.close()
        #expect(queue.next(limit: 10) == nil)
    }

    /// An awaited job in `queue`, finished when the writer tells it.
    private static func awaitedJob(in queue: GroupCommitQueue) -> Task<Void, any Error> {
        Task {
            try await withCheckedThrowingContinuation { continuation in
                _ = queue.enqueue(GroupCommitQueue.Job(work: { _ in }, waiter: continuation))
            }
        }
    }

    @Test("what queues while a caller leads goes to the writer once it ends, even when closed meanwhile")
    func leadingHandsOverToTheWriter() async throws {
        let queue = GroupCommitQueue()
        let taken = try #require(queue.lead(limit: 10), "the writer is idle")
        #expect(taken.isEmpty)
        #expect(queue.lead(limit: 10) == nil, "one leader at a time")
        let batches = LockedValue<[Int]>([])
        let stopped = DispatchSemaphore(value: 0)
        let writer = Thread {
            while let batch = queue.next(limit: 10) {
                batches.withLock { $0.append(batch.count) }
                for job in batch { job.finish(nil) }
            }
            stopped.signal()
        }
        writer.start()
        #expect(queue.enqueue(Self.submitted))
        let awaited = Self.awaitedJob(in: queue)
        while queue.pendingCount < 2 { await Task.yield() }
        // Closed while the caller leads: the writer must neither stop nor take the jobs before the leader ends.
        queue.close()
        #expect(queue.lead(limit: 10) == nil, "a closed queue has no leader")
        queue.endLead()
        try await awaited.value
        stopped.wait()
        #expect(batches.withLock { $0 } == [2], "the writer took both jobs that queued while the caller led, in one batch")
    }

    @Test("nobody leads once a job has woken the writer")
    func noLeaderOnceTheWriterIsWoken() async throws {
        let queue = GroupCommitQueue()
        let awaited = Self.awaitedJob(in: queue)
        while queue.pendingCount < 1 { await Task.yield() }
        #expect(queue.lead(limit: 10) == nil, "the awaited job woke the writer: it is not idle")
        let batch = try #require(queue.next(limit: 10))
        #expect(batch.count == 1)
        for job in batch { job.finish(nil) }
        try await awaited.value
        queue.close()
        #expect(queue.next(limit: 10) == nil)
    }

    @Test("an awaited job queued while a caller leads, or handed back by it, is the writer's: nobody leads before it is taken")
    func noLeaderWhileAnAwaitedJobIsQueued() async throws {
        // `lead` checks that no awaited job is queued: at each step below it must refuse, not take one.
        let queue = GroupCommitQueue()
        let taken = try #require(queue.lead(limit: 10))
        #expect(taken.isEmpty)
        let queuedMeanwhile = Self.awaitedJob(in: queue)
        while queue.pendingCount < 1 { await Task.yield() }
        queue.endLead()
        #expect(queue.lead(limit: 10) == nil, "ending the lead woke the writer for the awaited job")
        let batch = try #require(queue.next(limit: 10))
        #expect(batch.count == 1 && batch[0].waiter != nil)
        for job in batch { job.finish(nil) }
        try await queuedMeanwhile.value
        queue.close()
        #expect(queue.next(limit: 10) == nil)

        // A leader that finds the file locked hands its own job back, awaited from then on.
        let other = GroupCommitQueue()
        let leading = try #require(other.lead(limit: 10), "the writer has not started: it is idle")
        #expect(other.enqueue(Self.submitted))
        let handedBack = Task {
            try await withCheckedThrowingContinuation { continuation in
                other.endLead(handingBack: leading, then: GroupCommitQueue.Job(work: { _ in }, waiter: continuation))
            }
        }
        while other.pendingCount < 2 { await Task.yield() }
        #expect(other.lead(limit: 10) == nil, "handing the awaited job back woke the writer for it")
        let handed = try #require(other.next(limit: 10))
        #expect(handed.count == 2 && handed[0].waiter == nil && handed[1].waiter != nil, "what queued meanwhile, then its own job")
        for job in handed { job.finish(nil) }
        try await handedBack.value
        other.close()
        #expect(other.next(limit: 10) == nil)
    }

    @Test("nobody leads while the writer commits submitted jobs it lingered for")
    func noLeaderAfterALinger() async throws {
        let queue = GroupCommitQueue()
        let taken = LockedValue(false)
        let proceed = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        let writer = Thread {
            while let batch = queue.next(limit: 10) {
                taken.withLock { $0 = true }
                proceed.wait()
                for job in batch { job.finish(nil) }
            }
            stopped.signal()
        }
        writer.start()
        // Nobody awaits it: the writer lingers for an awaited job, then takes it alone.
        #expect(queue.enqueue(Self.submitted))
        while !taken.withLock({ $0 }) { await Task.yield() }
        let leader = queue.lead(limit: 10)
        #expect(leader == nil, "the writer's transaction is under way")
        if leader != nil { queue.endLead() }
        proceed.signal()
        queue.close()
        stopped.wait()
    }

    /// What ``GroupCommitQueue/enqueueUnlessWriterIdle(_:)`` answered, once the job's waiter is resumed.
    private static func awaitedUnlessIdle(in queue: GroupCommitQueue) -> Task<Bool?, any Error> {
        Task {
            var queued: Bool?
            try await withCheckedThrowingContinuation { continuation in
                queued = queue.enqueueUnlessWriterIdle(GroupCommitQueue.Job(work: { _ in }, waiter: continuation))
                if queued != true { continuation.resume() }
            }
            return queued
        }
    }

    @Test("a job handed over with its waiter goes as a submitted one when the writer is idle, for its caller to lead")
    func anAwaitedJobForAnIdleWriterIsLeftToItsCaller() async throws {
        let queue = GroupCommitQueue()
        #expect(try await Self.awaitedUnlessIdle(in: queue).value == false)
        #expect(queue.pendingCount == 1)
        let taken = try #require(queue.lead(limit: 10), "nobody awaits the queued job: its caller may lead")
        #expect(taken.count == 1 && taken[0].waiter == nil)
        queue.endLead()
        queue.close()
        #expect(queue.next(limit: 10) == nil)
    }

    @Test("a job handed over with its waiter while the writer is busy is told by the writer")
    func anAwaitedJobForABusyWriterIsToldByIt() async throws {
        let queue = GroupCommitQueue()
        let first = Self.awaitedJob(in: queue)
        while queue.pendingCount < 1 { await Task.yield() }
        let second = Self.awaitedUnlessIdle(in: queue)
        while queue.pendingCount < 2 { await Task.yield() }
        #expect(queue.lead(limit: 10) == nil, "the writer is busy")
        let batch = try #require(queue.next(limit: 10))
        #expect(batch.count == 2 && batch.allSatisfy { $0.waiter != nil }, "both are the writer's to tell")
        for job in batch { job.finish(nil) }
        try await first.value
        #expect(try await second.value == true)
        queue.close()
        #expect(!queue.enqueue(Self.submitted))
        #expect(try await Self.awaitedUnlessIdle(in: queue).value == nil, "a closed queue takes nothing")
        #expect(queue.next(limit: 10) == nil)
    }

    @Test("a batch handed back is kept until the next job is queued, and freed by that caller")
    func spentBatchesAreFreedByTheNextCaller() throws {
        final class Payload: Sendable {}
        let queue = GroupCommitQueue()
        weak var watched: Payload?
        do {
            let payload = Payload()
            watched = payload
            #expect(queue.enqueue(GroupCommitQueue.Job(work: { _ in withExtendedLifetime(payload) {} }, waiter: nil)))
        }
        queue.close()
        let batch = try #require(queue.next(limit: 10))
        queue.discard(batch)
        _ = consume batch
        #expect(watched != nil, "the writer's batch is not freed on its thread")
        // Closed, the queue takes no job, but the caller still frees what the writer handed back.
        #expect(!queue.enqueue(Self.submitted))
        #expect(watched == nil, "the next caller freed it")
    }
}
