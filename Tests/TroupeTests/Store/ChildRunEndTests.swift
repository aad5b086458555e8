import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A child run ends with its parent: none stays `running` once its parent ended, and none is
/// resumed on its own after that (a child runs only for its parent's `workflow` node).
@Suite("Child runs end with their parent", .timeLimit(.minutes(2)))
struct ChildRunEndTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// The child run of `parent`, if there is one.
    static func child(of parent: RunID, in store: SQLiteRunStore) async throws -> RunRecord? {
        try await ChildRunTests.child(of: parent, in: store)
    }

    /// At its deadline the parent stops awaiting its `workflow` node; the child's node ignores
    /// cancellation (it waits at a gate), so the child cannot end itself: it is recorded cancelled
    /// by the time the parent's result is out, naming the parent, and stays cancelled once it does end.
    @Test func aParentPastItsDeadlineLeavesNoChildRunRunning() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let clock = VirtualClock()
        let gate = Gate()
        let runtime = WorkflowRuntime(clock: clock, store: store)
        try runtime.register(kind: "hold") { (_: NodeCall) async throws -> JSONValue in
            await gate.pass()
            return "held"
        }
        let inner: JSONValue = ["id": "inner", "version": "1.0.0", "nodes": [["id": "g", "kind": "hold"]]]
        let workflow = WorkflowDefinition(
            id: "outer", nodes: [NodeDefinition("child", kind: "workflow", config: ["definition": inner])], deadline: .seconds(10))
        let handle = runtime.start(try runtime.prepare(workflow))
        let id = try #require(handle.runID)
        await gate.waitForArrivals(1)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(10))
        #expect(try await handle.result.status == .timedOut)
        let child = try #require(try await Self.child(of: id, in: store))
        #expect(child.status == .cancelled, "the child's own code has not even stopped")
        #expect(child.errorType == "ParentStopped")
        #expect(child.error?.contains("parent run \(id)") == true, "\(child.error ?? "")")
        // The child's code returns at last: its instance ends cancelled too.
        gate.openAll()
        await runtime.shutdown(gracefully: true)
        try await store.commit([])
        let ended = try #require(try await store.run(child.id))
        #expect(ended.status == .cancelled)
        await store.close()
    }

    /// A store whose inserts of child runs wait at `held`: before the insert is queued, or, with
    /// `queuesFirst`, once it is stored, before it returns. `finished` counts the inserts that
    /// returned or threw, `abandoned` the submitted batches that record a child `ParentStopped`.
    final class ChildInsertHoldingStore: ForwardingRunStore, @unchecked Sendable {
        let held = Gate()
        let finished = Gate()
        let abandoned = Gate()
        private let queuesFirst: Bool
        private let failures = LockedValue<[any Error]>([])

        /// What the held inserts threw.
        var errors: [any Error] { failures.withLock { $0 } }

        init(_ base: SQLiteRunStore, queuesFirst: Bool) {
            self.queuesFirst = queuesFirst
            finished.openAll()
            abandoned.openAll()
            super.init(base)
        }

        override func submit(_ writes: [StoreWrite]) {
            super.submit(writes)
            let abandoning = writes.contains {
                if case .status(_, .cancelled, _, _, "ParentStopped", _) = $0 { true } else { false }
            }
            if abandoning { Task { [abandoned] in await abandoned.pass() } }
        }

        override func insert(_ run: RunRecord, definition: DefinitionRecord) async throws -> RunRecord {
            guard run.parentRunID != nil else { return try await super.insert(run, definition: definition) }
            do {
                if !queuesFirst { await held.pass() }
                let inserted = try await super.insert(run, definition: definition)
                if queuesFirst { await held.pass() }
                await finished.pass()
                return inserted
            } catch {
                failures.withLock { $0.append(error) }
                await finished.pass()
                throw error
            }
        }
    }

    /// A parent with a `workflow` node and a 10-second deadline, on a store that holds its child's
    /// insert, whose child's node counts its calls.
    struct DeadlineParent {
        let store: ChildInsertHoldingStore
        let runtime: WorkflowRuntime
        let calls = NodeCallCounter()
        private let clock = VirtualClock()
        private let workflow: PreparedWorkflow

        init(_ store: ChildInsertHoldingStore) throws {
            self.store = store
            runtime = WorkflowRuntime(clock: clock, store: store)
            try runtime.register(kind: "count") { [calls] (call: NodeCall) async throws -> JSONValue in
                calls.increment(call.nodeID)
                return "counted"
            }
            let inner: JSONValue = ["id": "inner", "version": "1.0.0", "nodes": [["id": "g", "kind": "count"]]]
            workflow = try runtime.prepare(
                WorkflowDefinition(
                    id: "outer", nodes: [NodeDefinition("child", kind: "workflow", config: ["definition": inner])], deadline: .seconds(10)))
        }

        /// Starts the parent and passes its deadline while the child's insert is held; returns the
        /// parent's run once its result is out, `timedOut`.
        func runPastItsDeadline() async throws -> RunID {
            let handle = runtime.start(workflow)
            let id = try #require(handle.runID)
            await store.held.waitForArrivals(1)
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(10))
            #expect(try await handle.result.status == .timedOut)
            return id
        }
    }

    /// The parent's deadline passes while its node's insert of the child run has not been queued
    /// yet: queued after the parent's end, the insert is refused, and no child run is stored or run.
    @Test func aChildInsertQueuedAfterItsParentEndedIsRefused() async throws {
        let parent = try DeadlineParent(ChildInsertHoldingStore(try SQLiteRunStore(path: directory.file(), synchronous: .normal), queuesFirst: false))
        let store = parent.store
        let id = try await parent.runPastItsDeadline()
        store.held.openAll()
        await store.finished.waitForArrivals(1)
        let refusal = try #require(store.errors.first as? StoreError)
        #expect(refusal.type == "ParentRunEnded")
        #expect(refusal.message.contains("its parent run \(id) ended timedOut"), "\(refusal.message)")
        #expect(try await Self.child(of: id, in: store.base) == nil)
        await parent.runtime.shutdown(gracefully: true)
        #expect(parent.calls.count("g") == 0)
        await store.close()
    }

    /// The child run is stored, but its parent's node has not started it yet when the deadline
    /// passes: the parent's end records the child cancelled, and the node, going on late, records
    /// it so again and never starts it.
    @Test func aChildStoredButNotStartedAtItsParentsDeadlineEndsWithTheParentAndIsNeverStarted() async throws {
        let parent = try DeadlineParent(ChildInsertHoldingStore(try SQLiteRunStore(path: directory.file(), synchronous: .normal), queuesFirst: true))
        let store = parent.store
        let id = try await parent.runPastItsDeadline()
        let child = try #require(try await Self.child(of: id, in: store.base))
        #expect(child.status == .cancelled)
        #expect(child.errorType == "ParentStopped")
        store.held.openAll()
        // The node's abandoned code records it once more, as it gives up instead of starting the child.
        await store.abandoned.waitForArrivals(2)
        #expect(parent.runtime.running.isEmpty)
        #expect(parent.calls.count("g") == 0)
        await parent.runtime.shutdown(gracefully: true)
        try await store.commit([])
        #expect(try await store.run(child.id)?.status == .cancelled)
        await store.close()
    }

    /// At a parent's end, only the child runs its nodes still wait for are recorded cancelled and
    /// their live instances cancelled: one whose wait ended (it completed before the parent's
    /// deadline stopped its node) keeps how it ended, and nothing attaches once the parent ended.
    @Test func aParentsEndCancelsOnlyTheChildrenItsNodesStillWaitFor() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let (done, definition) = SQLiteRunStoreTests.run()
        let (waited, _) = SQLiteRunStoreTests.run()
        _ = try await store.insert(done, definition: definition)
        _ = try await store.insert(waited, definition: definition)
        try await store.commit([.status(done.id, .completed)])
        let (parentRecord, _) = SQLiteRunStoreTests.run()
        _ = try await store.insert(parentRecord, definition: definition)
        let parent = JournaledRun(id: parentRecord.id)
        let journal = RunJournal(store: store, clock: ContinuousClock())
        for node in ["a", "b", "c"] { _ = parent.submitAttemptStart(of: node, attempt: 1, to: journal) }
        #expect(!parent.attach(child: done.id, to: "a", attempt: 2, waiting: true), "not the node's running attempt")
        #expect(parent.attach(child: done.id, to: "a", attempt: 1, waiting: true))
        parent.stopWaiting(for: done.id)
        #expect(parent.attach(child: waited.id, to: "b", attempt: 1, waiting: true))
        let live = InstanceControl()
        #expect(parent.follow(liveChild: live, of: waited.id))
        parent.submitEnd(status: .timedOut, { _ in [] }, handing: { store.submit($0) })
        try await store.commit([])
        #expect(try await store.run(done.id)?.status == .completed)
        let cancelled = try #require(try await store.run(waited.id))
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.error == "cancelled because node b of its parent run \(parent.id) stopped waiting for it")
        #expect(live.stopReason == .cancelled)
        #expect(!parent.attach(child: RunID(), to: "c", attempt: 1, waiting: true), "nothing is waited for once the parent ended")
        #expect(!parent.follow(liveChild: InstanceControl(), of: waited.id))
        await store.close()
    }

    /// A child run a live process runs is not cancelled behind its back: its owner is asked, and says so.
    @Test func aChildALiveProcessRunsIsAskedOfItsOwner() async throws {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let gate = Gate()
        let runtime = WorkflowRuntime(store: store)
        try runtime.register(kind: "hold") { (_: NodeCall) async throws -> JSONValue in
            await gate.pass()
            return "held"
        }
        let inner: JSONValue = ["id": "inner", "version": "1.0.0", "nodes": [["id": "g", "kind": "hold"]]]
        let handle = runtime.start(
            try runtime.prepare(WorkflowDefinition(id: "outer", nodes: [NodeDefinition("child", kind: "workflow", config: ["definition": inner])])))
        let id = try #require(handle.runID)
        await gate.waitForArrivals(1)
        let child = try #require(try await Self.child(of: id, in: store))
        // What `troupe cancel` does from another process, on a second connection to the same file.
        let other = try SQLiteRunStore(path: path, synchronous: .normal)
        let ended = try await other.cancelUnfinishedChildren(of: id, endedAs: .cancelled)
        #expect(ended.map(\.run) == [child.id])
        #expect(ended.map(\.askedItsOwner) == [true])
        #expect(try await other.run(child.id)?.status == .running, "its owner, not the caller, ends it")
        await other.close()
        handle.cancel()
        gate.openAll()
        _ = try await handle.result
        await runtime.shutdown(gracefully: true)
        await store.close()
    }

    /// A parent that recovery fails at its limit takes its unfinished child run with it.
    @Test func aParentFailedAtTheRecoveryLimitCancelsItsChildRun() async throws {
        let path = directory.file()
        let gate = Gate()
        let handle = try await DurableRunTests.crash(ChildRunTests.parent, at: path, gate: gate)
        let id = try #require(handle.runID)
        let (second, store) = try DurableRunTests.runtime(path, calls: NodeCallCounter(), gate: gate)
        #expect(try await second.recover(maximumRecoveryAttempts: 0).isEmpty)
        #expect(try await store.run(id)?.status == .failed)
        let child = try #require(try await Self.child(of: id, in: store))
        #expect(child.status == .cancelled)
        #expect(child.errorType == "ParentEnded")
        #expect(child.error == "cancelled because its parent run \(id) ended failed")
        handle.cancel()
        gate.openAll()
        _ = try await handle.result
        await store.close()
    }

    /// A store where a parent ended but its child stayed `running` (as an earlier version left
    /// it): recovery does not resume the child, and resuming it by name is refused and ends it.
    @Test func aChildRunIsNeverResumedOnItsOwnOnceItsParentEnded() async throws {
        let path = directory.file()
        let gate = Gate()
        let handle = try await DurableRunTests.crash(ChildRunTests.parent, at: path, gate: gate)
        let id = try #require(handle.runID)
        let (second, store) = try DurableRunTests.runtime(path, calls: NodeCallCounter(), gate: gate)
        try await store.commit([.status(id, .cancelled, error: "cancelled")])
        let child = try #require(try await Self.child(of: id, in: store))
        #expect(child.status == .running)
        #expect(try await second.recover().isEmpty, "neither the ended parent nor its child")
        let refusal = await #expect(throws: StoreError.self) { try await second.resume(child.id) }
        #expect(refusal?.type == "NotResumable")
        #expect(refusal?.message.contains("child run of \(id), which ended cancelled") == true, "\(refusal?.message ?? "")")
        let after = try #require(try await store.run(child.id))
        #expect(after.status == .cancelled)
        #expect(after.error == "cancelled because its parent run \(id) ended cancelled")
        #expect(second.running.isEmpty, "nothing runs the child")
        handle.cancel()
        gate.openAll()
        _ = try await handle.result
        await store.close()
    }

    /// The child's child too: cancelling a parent whose process is gone ends every unfinished descendant.
    @Test func cancellingAParentWithoutALiveOwnerCancelsItsDescendants() async throws {
        let path = directory.file()
        let gate = Gate()
        let inner: JSONValue = [
            "id": "middle", "version": "1.0.0",
            "nodes": [
                ["id": "deeper", "kind": "workflow", "config": ["definition": ["id": "inner", "version": "1.0.0", "nodes": [["id": "g", "kind": "hold"]]]]]
            ],
        ]
        let workflow = WorkflowDefinition(id: "outer", nodes: [NodeDefinition("child", kind: "workflow", config: ["definition": inner])])
        let handle = try await DurableRunTests.crash(workflow, at: path, gate: gate)
        let id = try #require(handle.runID)
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        // What `troupe cancel` does for a run no live process owns.
        #expect(try await !store.claimOrphanedRuns([id]).isEmpty)
        try await store.commit([.status(id, .cancelled, error: "cancelled")])
        let cancelled = try await store.cancelUnfinishedChildren(of: id, endedAs: .cancelled)
        #expect(cancelled.count == 2)
        let runs = try await store.runs(RunQuery())
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0.status == .cancelled })
        let middle = try #require(runs.first { $0.parentRunID == id })
        #expect(middle.error == "cancelled because its parent run \(id) ended cancelled")
        let deepest = try #require(runs.first { $0.parentRunID == middle.id })
        #expect(deepest.error == "cancelled because its parent run \(middle.id) ended cancelled")
        #expect(try await store.cancelUnfinishedChildren(of: id, endedAs: .cancelled).isEmpty, "nothing left to cancel")
        handle.cancel()
        gate.openAll()
        _ = try await handle.result
        await store.close()
    }

    /// Many parents cancelled at once while their children wait: every child run ends cancelled,
    /// naming its parent, and none is left `running`.
    @Test func stressManyParentsCancelledAtOnceLeaveNoChildRunning() async throws {
        let (runtime, store) = try DurableRunTests.runtime(directory.file(), calls: NodeCallCounter(), gate: Gate())
        let inner: JSONValue = ["id": "inner", "version": "1.0.0", "nodes": [["id": "w", "kind": "wait"]]]
        let workflow = try runtime.prepare(
            WorkflowDefinition(id: "outer", nodes: [NodeDefinition("child", kind: "workflow", config: ["definition": inner])]))
        let events = runtime.events()
        let handles = (0..<30).map { _ in runtime.start(workflow) }
        var waiting = 0
        for await event in events {
            if case .nodeWaiting("w", _) = event.kind { waiting += 1 }
            if waiting == handles.count { break }
        }
        for handle in handles { handle.cancel() }
        for handle in handles { #expect(try await handle.result.status == .cancelled) }
        let runs = try await store.runs(RunQuery(limit: 1000))
        #expect(runs.count == 60)
        #expect(runs.allSatisfy { $0.status == .cancelled })
        let children = runs.filter { $0.parentRunID != nil }
        #expect(children.count == 30)
        #expect(children.allSatisfy { $0.errorType == "ParentStopped" && $0.error?.contains("parent run \($0.parentRunID!)") == true })
        await store.close()
    }
}
