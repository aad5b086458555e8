import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// What a resumed run looks like from its handle: the stored history replayed before the live
/// events. A "crash" is a store closed while the run's last node waits at a gate.
@Suite("Resumed runs", .timeLimit(.minutes(2)))
struct ResumedRunTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// An event without its timing: its kind, node and attempt.
    static func summary(_ event: WorkflowEvent) -> String {
        switch event.kind {
        case .instanceStarted: return "start"
        case .nodeStarted(let node, let attempt): return "▶ \(node) #\(attempt)"
        case .nodeCompleted(let node, _): return "✔ \(node)"
        case .nodeFailed(let node, _, _): return "✖ \(node)"
        case .nodeRetrying(let node, let attempt, _, _): return "↻ \(node) #\(attempt)"
        case .interceptorNote(let node, let note): return "· \(node) \(note.interceptor) \(note.event)"
        case .completed: return "completed"
        default: return "\(event.kind)"
        }
    }

    /// Starts `DurableRunTests.chain` (a, b, then c waiting at the gate) and "crashes" once c waits;
    /// returns the run, the first handle's events so far, and the store's path.
    func crashedChain(calls: NodeCallCounter) async throws -> (id: RunID, before: [WorkflowEvent], path: String, gate: Gate) {
        let path = directory.file()
        let gate = Gate()
        let handle = try await DurableRunTests.crash(DurableRunTests.chain, at: path, calls: calls, gate: gate)
        var before: [WorkflowEvent] = []
        for await event in handle.events {
            before.append(event)
            if case .nodeStarted("c", _) = event.kind { break }
        }
        return (try #require(handle.runID), before, path, gate)
    }

    @Test func aResumedRunsEventsReplayTheStoredHistoryThenGoOnLiveWithoutAGap() async throws {
        let calls = NodeCallCounter()
        let crashed = try await crashedChain(calls: calls)
        defer { crashed.gate.openAll() }
        let gate = Gate()
        gate.openAll()
        let (second, store) = try DurableRunTests.runtime(crashed.path, calls: calls, gate: gate)
        let everyInstance = second.events()
        let live = Task {
            var events: [WorkflowEvent] = []
            for await event in everyInstance {
                events.append(event)
                if event.kind.isFinal { break }
            }
            return events
        }
        let handle = try #require(try await second.recover().first)
        let events = await collect(handle.events)
        #expect(events.map(\.sequence) == Array(0..<events.count), "\(events.map(\.sequence))")
        let replayed = crashed.before.map(Self.summary)
        #expect(replayed == ["start", "▶ a #1", "✔ a", "▶ b #1", "✔ b", "▶ c #1"])
        #expect(events.map(Self.summary) == replayed + ["start", "▶ c #2", "✔ c", "completed"], "the live attempt numbers on from the stored one")
        #expect(events.allSatisfy { $0.instanceID == handle.id && $0.workflowID == "chain" })
        // The replayed part carries the stored dates; the live part comes after them.
        let stored = try await store.events(of: crashed.id)
        for (event, record) in zip(events.prefix(replayed.count), stored) {
            #expect(event.sequence == record.sequence)
            #expect(event.timestamp == record.date)
        }
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp }, "timestamps never go back")
        // The runtime-wide stream and a later subscription number the live events the same way.
        #expect(await live.value.map(\.sequence) == events.suffix(4).map(\.sequence))
        #expect(await collect(handle.events) == events)
        await store.close()
    }

    /// Stress: many subscribers of a resumed run's events, subscribing before, while and after its
    /// live events come, each from its own task: every one gets the same gapless stream.
    @Test func manySubscribersDuringTheLiveEventsGetTheSameGaplessStream() async throws {
        let calls = NodeCallCounter()
        let crashed = try await crashedChain(calls: calls)
        defer { crashed.gate.openAll() }
        let gate = Gate()
        let (second, store) = try DurableRunTests.runtime(crashed.path, calls: calls, gate: gate)
        let handle = try #require(try await second.recover().first)
        let streams = await withTaskGroup(of: [Int].self) { group in
            for index in 0..<60 {
                if index == 30 { gate.openAll() }
                group.addTask { await self.collect(handle.events).map(\.sequence) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(try await handle.result.status == .completed)
        let expected = Array(0..<(crashed.before.count + 4))
        #expect(streams.count == 60)
        #expect(streams.allSatisfy { $0 == expected }, "\(streams.filter { $0 != expected }.prefix(3))")
        await store.close()
    }

    /// A subscriber that stops reading ends the replay; the run goes on.
    @Test func aSubscriberMayStopDuringTheReplay() async throws {
        let calls = NodeCallCounter()
        let crashed = try await crashedChain(calls: calls)
        defer { crashed.gate.openAll() }
        let gate = Gate()
        let (second, store) = try DurableRunTests.runtime(crashed.path, calls: calls, gate: gate)
        let handle = try #require(try await second.recover().first)
        for await event in handle.events {
            #expect(event.sequence == 0)
            break
        }
        gate.openAll()
        #expect(try await handle.result.status == .completed)
        await store.close()
    }

    /// Resuming takes the next sequence number from the run's record; only a subscriber reads the history.
    @Test func resumingReadsNoHistory() async throws {
        let calls = NodeCallCounter()
        let crashed = try await crashedChain(calls: calls)
        defer { crashed.gate.openAll() }
        let gate = Gate()
        gate.openAll()
        let store = HistoryCountingStore(try SQLiteRunStore(path: crashed.path, synchronous: .normal))
        let second = try DurableRunTests.runtime(on: store, calls: calls, gate: gate)
        let handle = try #require(try await second.recover().first)
        #expect(try await handle.result.status == .completed)
        #expect(store.historyReads == 0)
        let sequences = try await store.events(of: crashed.id).map(\.sequence)
        #expect(sequences == Array(0..<sequences.count), "the history is gapless across the resume")
        #expect(try await store.run(crashed.id)?.lastEventSequence == sequences.count - 1)
        #expect(await collect(handle.events).count == crashed.before.count + 4)
        #expect(store.historyReads == 2)
        await store.close()
    }

    @Test func aRunsRecordCarriesItsLastEventSequence() async throws {
        let store = try SQLiteRunStore(path: directory.file())
        let definition = DefinitionRecord(Fixtures.chain(["a"], kind: "k"), components: [])
        let run = RunRecord(id: RunID(date: Date()), workflowID: "w", workflowVersion: "1.0.0", definitionHash: definition.hash, input: .null, nodeCount: 1)
        #expect(try await store.insert(run, definition: definition).lastEventSequence == -1)
        #expect(try await store.run(run.id)?.lastEventSequence == -1, "no history")
        try await store.commit([.event(RunEventRecord(runID: run.id, sequence: 0, kind: "k"))])
        #expect(try await store.run(run.id)?.lastEventSequence == 0, "only the entry 0")
        try await store.commit((1...3).map { .event(RunEventRecord(runID: run.id, sequence: $0, kind: "k")) })
        #expect(try await store.run(run.id)?.lastEventSequence == 3)
        #expect(try await store.runs(RunQuery()).first?.lastEventSequence == 3)
        await store.close()
    }

    /// A runtime on the virtual `clock` whose `flaky` kind fails its first call of all.
    static func clockedRuntime(_ store: SQLiteRunStore, clock: VirtualClock, calls: NodeCallCounter) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(clock: clock, store: store)
        try runtime.register(kind: "flaky") { call in
            calls.increment(call.nodeID)
            if calls.count(call.nodeID) == 1 { throw ExecutionError(type: "Flaky", message: "first call fails") }
            return .string(call.nodeID)
        }
        return runtime
    }

    static let retrying = WorkflowDefinition(
        id: "retrying", nodes: [NodeDefinition("r", kind: "flaky", retry: RetryPolicy(maximumAttempts: 3, initialInterval: .seconds(5000)))])
    static let sleeping = WorkflowDefinition(id: "sleeping", nodes: [NodeDefinition("s", kind: "sleep", config: ["seconds": 5000])])

    /// Runs `definition`'s only node until it waits on the clock, checks that its latest attempt row
    /// has the due time 5,000 s ahead, "crashes", and moves that due time to `due` (as if the
    /// process had been down for a while); returns the run and the store's path.
    func crashedWhileWaiting(_ definition: WorkflowDefinition, status: NodeStatus, due: Date, calls: NodeCallCounter) async throws -> (RunID, String) {
        let path = directory.file()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let clock = VirtualClock()
        let runtime = try Self.clockedRuntime(store, clock: clock, calls: calls)
        let before = Date()
        let handle = runtime.start(try runtime.prepare(definition))
        await clock.waitForSleepers(1)
        let after = Date()
        try await store.commit([])
        let id = try #require(handle.runID)
        var attempt = try #require(try await store.attempts(of: id).last)
        #expect(attempt.attempt == 1)
        #expect(attempt.status == status)
        let recorded = try #require(attempt.nextAttemptAt)
        #expect(recorded >= before.addingTimeInterval(4999.999) && recorded <= after.addingTimeInterval(5000.001), "due 5,000 s after it began waiting")
        await store.close()
        let rewriting = try SQLiteRunStore(path: path, synchronous: .normal)
        attempt.nextAttemptAt = due
        try await rewriting.commit([.attempt(attempt)])
        await rewriting.close()
        return (id, path)
    }

    @Test func aRetryBackOffGoesOnFromItsStoredTime() async throws {
        let calls = NodeCallCounter()
        let (id, path) = try await crashedWhileWaiting(Self.retrying, status: .failed, due: Date().addingTimeInterval(1000), calls: calls)
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let clock = VirtualClock()
        let handle = try #require(try await Self.clockedRuntime(store, clock: clock, calls: calls).recover().first)
        await clock.waitForSleepers(1)
        let waits = clock.sleeps
        #expect(waits.count == 1)
        #expect(waits.allSatisfy { $0 > .zero && $0 <= .seconds(1000) }, "only what is left of the back-off: \(waits)")
        clock.advance(by: .seconds(1000))
        #expect(try await handle.result.status == .completed)
        #expect(calls.count("r") == 2)
        #expect(try await store.attempts(of: id).map(\.status) == [.failed, .completed])
        await store.close()
    }

    @Test func aRetryWhoseTimeHasPassedRunsAtOnce() async throws {
        let calls = NodeCallCounter()
        let (_, path) = try await crashedWhileWaiting(Self.retrying, status: .failed, due: Date().addingTimeInterval(-10), calls: calls)
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let clock = VirtualClock()
        let handle = try #require(try await Self.clockedRuntime(store, clock: clock, calls: calls).recover().first)
        #expect(try await handle.result.status == .completed)
        #expect(clock.sleeps.isEmpty)
        await store.close()
    }

    @Test func aSleepGoesOnFromItsStoredWakeUp() async throws {
        let calls = NodeCallCounter()
        let wake = Date().addingTimeInterval(1000)
        let (id, path) = try await crashedWhileWaiting(Self.sleeping, status: .running, due: wake, calls: calls)
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let clock = VirtualClock()
        let handle = try #require(try await Self.clockedRuntime(store, clock: clock, calls: calls).recover().first)
        await clock.waitForSleepers(1)
        let waits = clock.sleeps
        #expect(waits.count == 1)
        #expect(waits.allSatisfy { $0 > .zero && $0 <= .seconds(1000) }, "only what is left of the sleep: \(waits)")
        // The resumed attempt keeps the wake-up, for a crash during this sleep too.
        try await store.commit([])
        let resumed = try #require(try await store.attempts(of: id).last)
        #expect(resumed.attempt == 2)
        #expect(resumed.nextAttemptAt.map { abs($0.timeIntervalSince(wake)) < 0.001 } == true)
        clock.advance(by: .seconds(1000))
        #expect(try await handle.result.status == .completed)
        #expect(try await store.attempts(of: id).map(\.status) == [.running, .completed])
        await store.close()
    }

    @Test func aSleepWhoseWakeUpHasPassedEndsAtOnce() async throws {
        let calls = NodeCallCounter()
        let (_, path) = try await crashedWhileWaiting(Self.sleeping, status: .running, due: Date().addingTimeInterval(-1), calls: calls)
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let clock = VirtualClock()
        let handle = try #require(try await Self.clockedRuntime(store, clock: clock, calls: calls).recover().first)
        #expect(try await handle.result.status == .completed)
        #expect(clock.sleeps.allSatisfy { $0 <= .zero })
        await store.close()
    }

    /// A run recorded on one build of a plugin, resumed where the file has changed (same name and
    /// version): blocked, naming the digests, until resumed accepting the current components.
    @Test func aRunWhosePluginFileChangedIsBlocked() async throws {
        let fixtures = try PluginFixtures()
        let stem = "digest\(UUID().uuidString.prefix(6))"
        let plugin = try fixtures.fixture(stem, ["name": .string(stem), "version": "1.0.0", "executors": [.string(stem)]])
        let definition = WorkflowDefinition(
            id: "plugged", nodes: [NodeDefinition("p", kind: stem), NodeDefinition("c", kind: "hold")], edges: [EdgeDefinition(from: "p", to: "c")])
        let path = directory.file()
        let calls = NodeCallCounter()
        let gate = Gate()
        defer { gate.openAll() }
        let firstStore = try SQLiteRunStore(path: path, synchronous: .normal)
        let first = try DurableRunTests.runtime(on: firstStore, calls: calls, gate: gate)
        #expect(await first.registry.loadPlugins(files: [plugin]).isEmpty)
        let handle = first.start(try first.prepare(definition))
        await gate.waitForArrivals(1)
        try await firstStore.commit([])
        let id = try #require(handle.runID)
        let run = try #require(try await firstStore.run(id))
        let recorded = try #require(try await firstStore.definition(run.definitionHash))
        let digest = SHA256.hash(Array(try Data(contentsOf: URL(fileURLWithPath: plugin))))
        let entry = recorded.components.arrayValue?.first { $0["name"] == .string(stem) }
        #expect(entry?["fileDigest"] == .string(digest), "\(recorded.components)")
        await firstStore.close()

        // A new build: the same plugin name and version, other bytes.
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: plugin))
        try file.seekToEnd()
        try file.write(contentsOf: Data("rebuilt".utf8))
        try file.close()
        let open = Gate()
        open.openAll()
        let store = try SQLiteRunStore(path: path, synchronous: .normal)
        let second = try DurableRunTests.runtime(on: store, calls: calls, gate: open)
        #expect(await second.registry.loadPlugins(files: [plugin]).isEmpty)
        #expect(try await second.recover().isEmpty)
        let blocked = try #require(try await store.run(id))
        #expect(blocked.status == .blocked)
        #expect(blocked.error?.contains("executor \(stem): fileDigest recorded \"\(digest)\", now \"") == true, "\(blocked.error ?? "")")
        await #expect(throws: StoreError.self) { try await second.resume(id) }
        let resumed = try await second.resume(id, acceptingVersions: true)
        #expect(try await resumed.result.status == .completed)
        await store.close()
    }

    @Test func componentDifferencesNameTheFieldsThatDiffer() {
        func plugin(_ digest: String?, generation: Int = 1, version: String = "1.0.0") -> JSONValue {
            var entry: [String: JSONValue] = [
                "role": "executor", "name": "k", "source": "plugin", "plugin": "p", "pluginVersion": .string(version), "generation": .integer(generation),
            ]
            if let digest { entry["fileDigest"] = .string(digest) }
            return [.object(entry)]
        }
        #expect(ResolvedComponents.differences(recorded: plugin("aa"), current: plugin("aa", generation: 2)).isEmpty, "a reload of the same file")
        #expect(ResolvedComponents.differences(recorded: plugin("aa"), current: plugin("bb")) == [#"executor k: fileDigest recorded "aa", now "bb""#])
        #expect(
            ResolvedComponents.differences(recorded: plugin("aa"), current: plugin("bb", version: "1.1.0")) == [
                #"executor k: fileDigest recorded "aa", now "bb", pluginVersion recorded "1.0.0", now "1.1.0""#
            ])
        #expect(ResolvedComponents.differences(recorded: plugin(nil), current: plugin("bb")).isEmpty, "recorded before digests were")
        #expect(ResolvedComponents.differences(recorded: plugin("aa"), current: []).first?.hasSuffix("now nothing") == true)
    }

    @Test func storedEntriesWithoutAnEventKindBecomeStoreNotes() {
        let id = RunID(date: Date())
        let date = Date(timeIntervalSince1970: 1_000)
        let records = [
            RunEventRecord(runID: id, sequence: 1, date: date, kind: "runStarted"),
            RunEventRecord(runID: id, sequence: 2, date: date, kind: "nodeStarted", nodeID: "x", details: ["attempt": 2]),
            RunEventRecord(runID: id, sequence: 3, date: date.addingTimeInterval(1.5), kind: "nodeFailed", nodeID: "x", details: ["error": "boom"]),
            RunEventRecord(runID: id, sequence: 4, date: date.addingTimeInterval(2), kind: "runEnded", details: ["status": "failed"]),
            RunEventRecord(runID: id, sequence: 5, date: date.addingTimeInterval(3), kind: "runResumed"),
            RunEventRecord(runID: id, sequence: 6, date: date.addingTimeInterval(3), kind: "somethingNew", nodeID: "y", details: 7),
        ]
        let events = StoredHistory.events(records, instance: InstanceID(rawValue: 9), workflowID: "w")
        #expect(events.map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(events.map(Self.summary) == ["start", "▶ x #2", "✖ x", "·  store runEnded", "start", "· y store somethingNew"])
        #expect(events[2].kind == .nodeFailed(node: "x", error: "boom", duration: .seconds(1.5)))
        #expect(events.allSatisfy { !$0.kind.isFinal }, "a replay never ends the stream")
        if case .interceptorNote(_, let note) = events[3].kind {
            #expect(note.message == "the run ended failed")
        }
        if case .interceptorNote(_, let note) = events[5].kind {
            #expect(note.details == ["details": 7])
        }
    }

    private func collect(_ stream: AsyncStream<WorkflowEvent>) async -> [WorkflowEvent] {
        var events: [WorkflowEvent] = []
        for await event in stream { events.append(event) }
        return events
    }
}

/// A store that counts the reads of a run's history, passing everything to a SQLite store.
private final class HistoryCountingStore: ForwardingRunStore, @unchecked Sendable {
    private let reads = LockedValue(0)

    var historyReads: Int { reads.withLock { $0 } }

    override func events(of run: RunID) async throws -> [RunEventRecord] {
        reads.withLock { $0 += 1 }
        return try await base.events(of: run)
    }
}
