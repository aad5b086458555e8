import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// One numbering for a durable run's events: its live stream and its stored history carry the
/// same sequence number for the same event, from 0, and a resumed run's `handle.events` goes on
/// from the stored history with no gap and no number twice, whichever numbering the store holds.
@Suite("History sequence numbers", .timeLimit(.minutes(2)))
struct HistorySequenceTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// The stored entry kind an event is recorded as: each process's start of the run as
    /// `runStarted` or `runResumed`, the final event as `runEnded`.
    static func storedKinds(of event: WorkflowEvent) -> Set<String> {
        switch event.kind {
        case .instanceStarted: ["runStarted", "runResumed"]
        case .nodeStarted: ["nodeStarted"]
        case .nodeCompleted: ["nodeCompleted"]
        case .nodeRetrying: ["nodeRetrying"]
        case .nodeFailed: ["nodeFailed"]
        case .nodeSkipped: ["nodeSkipped"]
        case .interceptorNote: ["interceptorNote"]
        case .nodeWaiting: ["nodeWaiting"]
        case .nodeSignalled: ["nodeSignalled"]
        case .nodeCancelled: ["nodeCancelled"]
        case .nodeTimedOut: ["nodeTimedOut"]
        case .paused: ["paused"]
        case .resumed: ["resumed"]
        case let kind where kind.isFinal: ["runEnded"]
        default: []
        }
    }

    /// The node an event concerns, as its stored entry names it.
    static func node(of event: WorkflowEvent) -> String? {
        switch event.kind {
        case .nodeStarted(let node, _), .nodeCompleted(let node, _), .nodeRetrying(let node, _, _, _), .nodeFailed(let node, _, _),
            .nodeSkipped(let node, _), .nodeCancelled(let node), .interceptorNote(let node, _), .nodeTimedOut(let node, _),
            .nodeWaiting(let node, _), .nodeSignalled(let node, _):
            node
        default: nil
        }
    }

    /// Each event beside the stored entry with its number: the same event (kind and node) at the same place.
    static func expectSameNumbering(
        _ events: [WorkflowEvent], _ stored: [RunEventRecord], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(events.map(\.sequence) == stored.map(\.sequence), "live and stored numbers", sourceLocation: sourceLocation)
        for (event, entry) in zip(events, stored) {
            #expect(
                storedKinds(of: event).contains(entry.kind) && node(of: event) == entry.nodeID,
                "event \(event.sequence) is \(event.kind), entry \(entry.sequence) is \(entry.kind) \(entry.nodeID ?? "")",
                sourceLocation: sourceLocation)
        }
    }

    @Test func aNewRunsLiveEventsAndStoredHistoryAreNumberedAlikeFromZero() async throws {
        let gate = Gate()
        gate.openAll()
        let (runtime, store) = try DurableRunTests.runtime(directory.file(), calls: NodeCallCounter(), gate: gate)
        let everyInstance = runtime.events()
        let handle = runtime.start(try runtime.prepare(DurableRunTests.chain))
        let events = await collect(handle.events)
        var wide: [WorkflowEvent] = []
        for await event in everyInstance where event.instanceID == handle.id {
            wide.append(event)
            if event.kind.isFinal { break }
        }
        #expect(events.map(\.sequence) == Array(0..<8), "\(events.map(\.sequence))")
        #expect(wide == events, "the runtime-wide stream numbers them the same")
        // The run's end is committed before its result is handed out.
        #expect(try await handle.result.status == .completed)
        let stored = try await store.events(of: try #require(handle.runID))
        Self.expectSameNumbering(events, stored)
        #expect(try await store.run(try #require(handle.runID))?.lastEventSequence == 7)
        await store.close()
    }

    /// A skipped node (its edge's condition false) and a node cancelled before it started are in
    /// the history too, where the live events have them, and a replay gives them back as they were.
    @Test func skippedAndNeverStartedNodesAreNumberedAlike() async throws {
        let gate = Gate()
        let (runtime, store) = try DurableRunTests.runtime(directory.file(), calls: NodeCallCounter(), gate: gate)
        // a, then b only when a's output is "no" (it is "a"), then c, which holds until cancelled, then d.
        let definition = WorkflowDefinition(
            id: "skips",
            nodes: [
                NodeDefinition("a", kind: "echo"), NodeDefinition("b", kind: "echo"), NodeDefinition("c", kind: "hold"), NodeDefinition("d", kind: "echo"),
            ],
            edges: [EdgeDefinition(from: "a", to: "b", when: .equals("", "no")), EdgeDefinition(from: "a", to: "c"), EdgeDefinition(from: "c", to: "d")],
            strategy: .sequential)
        let handle = runtime.start(try runtime.prepare(definition))
        await gate.waitForArrivals(1)
        handle.cancel()
        gate.openAll()
        let events = await collect(handle.events)
        #expect(try await handle.result.status == .cancelled)
        #expect(events.contains { $0.kind == .nodeSkipped(node: "b", reason: "condition on edge a → b is false") }, "\(events.map(\.kind))")
        #expect(events.contains { $0.kind == .nodeCancelled(node: "d") }, "\(events.map(\.kind))")
        let id = try #require(handle.runID)
        let stored = try await store.events(of: id)
        Self.expectSameNumbering(events, stored)
        let replayed = StoredHistory.events(stored, instance: handle.id, workflowID: "skips")
        for event in events where event.kind == .nodeSkipped(node: "b", reason: "condition on edge a → b is false") || event.kind == .nodeCancelled(node: "d") {
            #expect(replayed.contains { $0.sequence == event.sequence && $0.kind == event.kind }, "replayed as \(event.kind)")
        }
        await store.close()
    }

    /// An interceptor that notes the first call's failure and calls the chain again without reporting a retry.
    struct QuietRetry: NodeInterceptor {
        func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
            do {
                return try await next.handle(call, context: context)
            } catch {
                context.note(InterceptorNote(interceptor: "quiet", event: "again", message: "once more", details: ["after": .string("\(error)")]))
                return try await next.handle(call, context: context)
            }
        }
    }

    /// A note and a retry nobody reported are in the history too, where the live events have them.
    @Test func notesAndUnreportedRetriesAreNumberedAlike() async throws {
        let (runtime, store) = try DurableRunTests.runtime(directory.file(), calls: NodeCallCounter(), gate: Gate())
        try runtime.registry.register(interceptor: "quiet") { _ in QuietRetry() }
        let calls = NodeCallCounter()
        try runtime.register(kind: "once") { call in
            calls.increment(call.nodeID)
            guard calls.count(call.nodeID) > 1 else { throw ExecutionError(type: "Once", message: "first call fails") }
            return .string(call.nodeID)
        }
        let definition = WorkflowDefinition(id: "quiet", nodes: [NodeDefinition("q", kind: "once", interceptors: ["quiet"])])
        let handle = runtime.start(try runtime.prepare(definition))
        let events = await collect(handle.events)
        #expect(try await handle.result.status == .completed)
        #expect(events.contains { if case .nodeRetrying("q", 1, .zero, _) = $0.kind { true } else { false } }, "\(events.map(\.kind))")
        let stored = try await store.events(of: try #require(handle.runID))
        Self.expectSameNumbering(events, stored)
        // The replay gives back every event but the final one as it was (durations from the stored dates).
        func shape(_ event: WorkflowEvent) -> String {
            if case .nodeCompleted(let node, _) = event.kind { "completed \(node)" } else { "\(event.kind)" }
        }
        let replayed = StoredHistory.events(stored, instance: handle.id, workflowID: "quiet")
        #expect(replayed.dropLast().map(shape) == events.dropLast().map(shape))
        await store.close()
    }

    /// A node that timed out is stored as `nodeTimedOut`, where the live events have it, and replays as such.
    @Test func aTimedOutNodeIsStoredAsItEnded() async throws {
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let clock = VirtualClock()
        let gate = Gate()
        let runtime = try ResumedRetryTests.runtime(store, clock: clock, calls: NodeCallCounter())
        try runtime.register(kind: "stuck") { (call: NodeCall) async throws -> JSONValue in
            await gate.pass()
            return .string(call.nodeID)
        }
        var slow = NodeDefinition("slow", kind: "stuck")
        slow.timeout = .seconds(5)
        let handle = runtime.start(try runtime.prepare(WorkflowDefinition(id: "slow", nodes: [slow])))
        await gate.waitForArrivals(1)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        let events = await collect(handle.events)
        gate.openAll()
        #expect(try await handle.result.status == .failed)
        #expect(events.contains { if case .nodeTimedOut("slow", _) = $0.kind { true } else { false } }, "\(events.map(\.kind))")
        let stored = try await store.events(of: try #require(handle.runID))
        Self.expectSameNumbering(events, stored)
        let replayed = StoredHistory.events(stored, instance: handle.id, workflowID: "slow")
        #expect(replayed.contains { if case .nodeTimedOut("slow", _) = $0.kind { true } else { false } })
        #expect(try await store.attempts(of: try #require(handle.runID)).map(\.status) == [.timedOut], "the row ends as the node did")
        await store.close()
    }

    /// A `wait` node's wait and its signal are in the history too, where the live events have them.
    @Test func aWaitAndItsSignalAreNumberedAlike() async throws {
        let (runtime, store) = try DurableRunTests.runtime(directory.file(), calls: NodeCallCounter(), gate: Gate())
        let definition = WorkflowDefinition(
            id: "approval", nodes: [NodeDefinition("a", kind: "echo"), NodeDefinition("approval", kind: "wait"), NodeDefinition("b", kind: "echo")],
            edges: [EdgeDefinition(from: "a", to: "approval"), EdgeDefinition(from: "approval", to: "b")], strategy: .sequential)
        let handle = runtime.start(try runtime.prepare(definition))
        var events: [WorkflowEvent] = []
        for await event in handle.events {
            events.append(event)
            if case .nodeWaiting = event.kind { #expect(handle.signal("approval", "yes")) }
        }
        #expect(try await handle.result.status == .completed)
        #expect(events.contains { $0.kind == .nodeSignalled(node: "approval", signal: "approval") }, "\(events.map(\.kind))")
        let stored = try await store.events(of: try #require(handle.runID))
        Self.expectSameNumbering(events, stored)
        let replayed = StoredHistory.events(stored, instance: handle.id, workflowID: "approval")
        for event in events
        where event.kind == .nodeWaiting(node: "approval", signal: "approval") || event.kind == .nodeSignalled(node: "approval", signal: "approval") {
            #expect(replayed.contains { $0.sequence == event.sequence && $0.kind == event.kind }, "replayed as \(event.kind)")
        }
        await store.close()
    }

    @Test func aResumedRunsEventsAreGaplessFromZeroAndReplayTheNumbersTheFirstProcessStreamed() async throws {
        let path = directory.file()
        let calls = NodeCallCounter()
        let firstGate = Gate()
        let (first, firstStore) = try DurableRunTests.runtime(path, calls: calls, gate: firstGate)
        let stuck = first.start(try first.prepare(DurableRunTests.chain))
        var before: [WorkflowEvent] = []
        for await event in stuck.events {
            before.append(event)
            if case .nodeStarted("c", _) = event.kind { break }
        }
        await firstGate.waitForArrivals(1)
        try await firstStore.commit([])
        await firstStore.close()
        defer { firstGate.openAll() }

        let gate = Gate()
        gate.openAll()
        let (second, store) = try DurableRunTests.runtime(path, calls: calls, gate: gate)
        let handle = try #require(try await second.recover().first)
        let events = await collect(handle.events)
        #expect(events.map(\.sequence) == Array(0..<events.count), "\(events.map(\.sequence))")
        #expect(events.count == before.count + 4, "the replay, then start, ▶ c #2, ✔ c, completed")
        #expect(try await handle.result.status == .completed)
        // The replay gives each event the number the first process streamed it with.
        for (replayed, streamed) in zip(events, before) {
            #expect(replayed.sequence == streamed.sequence)
            #expect(ResumedRunTests.summary(replayed) == ResumedRunTests.summary(streamed))
        }
        Self.expectSameNumbering(events, try await store.events(of: try #require(handle.runID)))
        await store.close()
    }

    /// A run of `Fixtures.chain(["a", "b"])` left `running` by a process that is gone, with
    /// `history` stored and no attempt recorded; returns its id.
    func orphanedRun(at path: String, history: (RunID) -> [RunEventRecord]) async throws -> RunID {
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let runtime = try DurableRunTests.runtime(on: store, calls: NodeCallCounter(), gate: Gate())
        let workflow = try #require(try runtime.prepare(Fixtures.chain(["a", "b"], kind: "echo")).durable)
        let journal = try #require(runtime.journal)
        let record = journal.newRun(of: workflow, input: .null, metadata: [:], idempotencyKey: nil)
        _ = try await store.insert(record, definition: try #require(workflow.definitionRecord))
        try await store.commit(history(record.id).map { .event($0) })
        await store.close()
        return record.id
    }

    /// Resumes the orphaned run `id` and returns its handle's events and its stored history once it has ended.
    func resumed(_ id: RunID, at path: String) async throws -> (events: [WorkflowEvent], stored: [RunEventRecord]) {
        let (runtime, store) = try DurableRunTests.runtime(path, calls: NodeCallCounter(), gate: Gate())
        let handle = try #require(try await runtime.recover().first)
        #expect(handle.runID == id)
        let events = await collect(handle.events)
        #expect(try await handle.result.status == .completed)
        let stored = try await store.events(of: id)
        await store.close()
        return (events, stored)
    }

    /// A crash before the run's first entry was committed leaves it without history: the resumed run numbers from 0.
    @Test func aRunResumedWithoutStoredHistoryNumbersFromZero() async throws {
        let path = directory.file()
        let id = try await orphanedRun(at: path) { _ in [] }
        let (events, stored) = try await resumed(id, at: path)
        #expect(events.map(\.sequence) == Array(0..<6), "start, ▶ a, ✔ a, ▶ b, ✔ b, completed: \(events.map(\.sequence))")
        Self.expectSameNumbering(events, stored)
        #expect(stored.first?.kind == "runResumed")
    }

    /// A history holding only its entry 0 reports the same highest number as an empty one: the
    /// resumed run goes on from 1, and its start does not take the place of the stored one.
    @Test func aRunResumedAfterItsFirstEntryOnlyGoesOnFromOne() async throws {
        let path = directory.file()
        let id = try await orphanedRun(at: path) { [RunEventRecord(runID: $0, sequence: 0, kind: "runStarted")] }
        let (events, stored) = try await resumed(id, at: path)
        #expect(events.map(\.sequence) == Array(0..<7), "\(events.map(\.sequence))")
        #expect(events.prefix(2).map(ResumedRunTests.summary) == ["start", "start"], "the stored start, then this process's")
        Self.expectSameNumbering(events, stored)
        #expect(stored.prefix(2).map(\.kind) == ["runStarted", "runResumed"])
    }

    /// A history stored before histories were numbered from 0 starts at 1: the resumed run
    /// replays it as stored and goes on after its highest entry, with no gap and no number twice.
    @Test func aRunResumedFromAHistoryNumberedFromOneGoesOnAfterItsHighestEntry() async throws {
        let path = directory.file()
        let id = try await orphanedRun(at: path) { id in
            [
                RunEventRecord(runID: id, sequence: 1, kind: "runStarted"),
                RunEventRecord(runID: id, sequence: 2, kind: "nodeStarted", nodeID: "a", details: ["attempt": 1]),
            ]
        }
        let (events, stored) = try await resumed(id, at: path)
        #expect(events.map(\.sequence) == Array(1...8), "\(events.map(\.sequence))")
        #expect(events.prefix(3).map(ResumedRunTests.summary) == ["start", "▶ a #1", "start"])
        Self.expectSameNumbering(events, stored)
    }

    private func collect(_ stream: AsyncStream<WorkflowEvent>) async -> [WorkflowEvent] {
        var events: [WorkflowEvent] = []
        for await event in stream { events.append(event) }
        return events
    }
}
