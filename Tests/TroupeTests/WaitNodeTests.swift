import Testing
import Troupe
import TroupeTesting

@Suite("The wait node kind and WorkflowHandle.signal", .timeLimit(.minutes(2)))
struct WaitNodeTests {
    /// `approval` (a `wait` node with `config`) → `after` (echo).
    private func approvalFlow(config: JSONValue = ["signal": "approve"]) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "approval",
            nodes: [NodeDefinition("approval", kind: "wait", config: config), NodeDefinition("after", kind: "echo")],
            edges: [EdgeDefinition(from: "approval", to: "after")])
    }

    @Test("a signal sent while the node waits completes it with the signal's value, with waiting and signalled events")
    func signalWhileWaiting() async throws {
        let runtime = Fixtures.runtime()
        let handle = try await runtime.start(approvalFlow())
        await handle.untilWaiting(at: "approval")
        #expect(handle.signal("approve", ["by": "ada"]))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["approval"]?.output == ["by": "ada"])
        #expect(result.nodes["after"]?.status == .completed)
        var kinds: [WorkflowEvent.Kind] = []
        for await event in handle.events { kinds.append(event.kind) }
        let waiting = kinds.firstIndex(of: .nodeWaiting(node: "approval", signal: "approve"))
        let signalled = kinds.firstIndex(of: .nodeSignalled(node: "approval", signal: "approve"))
        let completed = kinds.firstIndex { if case .nodeCompleted("approval", _) = $0 { return true } else { return false } }
        #expect(waiting != nil && signalled != nil && completed != nil)
        if let waiting, let signalled, let completed { #expect(waiting < signalled && signalled < completed) }
        // Its one wait node has ended: nothing can receive another.
        #expect(!handle.signal("approve", "again"))
    }

    @Test("a signal sent before the node waits is kept for it; one more than the nodes that can receive is refused")
    func signalBeforeWaiting() async throws {
        let runtime = Fixtures.runtime()
        let gate = Gate()
        try runtime.register(kind: "gated") { _ in
            await gate.pass()
            return "first"
        }
        let definition = WorkflowDefinition(
            id: "late-wait",
            nodes: [NodeDefinition("first", kind: "gated"), NodeDefinition("approval", kind: "wait")],
            edges: [EdgeDefinition(from: "first", to: "approval")])
        let handle = try await runtime.start(definition)
        await gate.waitForArrivals(1)
        // No `config.signal`: the node's id is the signal's name.
        #expect(handle.signal("approval", 1))
        #expect(!handle.signal("approval", 2))
        #expect(!handle.signal("no-such-signal"))
        gate.openAll()
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["approval"]?.output == 1)
        var kinds: [WorkflowEvent.Kind] = []
        for await event in handle.events { kinds.append(event.kind) }
        #expect(!kinds.contains(.nodeWaiting(node: "approval", signal: "approval")))
        #expect(kinds.contains(.nodeSignalled(node: "approval", signal: "approval")))
    }

    @Test("past config.timeout on the virtual clock the node fails with SignalTimeout, and later signals are refused")
    func timeout() async throws {
        let clock = VirtualClock()
        let runtime = Fixtures.runtime(clock: clock)
        let handle = try await runtime.start(approvalFlow(config: ["signal": "approve", "timeout": 5]))
        await handle.untilWaiting(at: "approval")
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        let result = try await handle.result
        #expect(result.status == .failed)
        #expect(result.nodes["approval"]?.status == .failed)
        #expect(result.nodes["approval"]?.errorType == "SignalTimeout")
        #expect(result.nodes["after"]?.status == .skipped)
        #expect(!handle.signal("approve"))
    }

    @Test("a signal just before the timeout wins; the timer is then cancelled")
    func signalBeforeTimeout() async throws {
        let clock = VirtualClock()
        let runtime = Fixtures.runtime(clock: clock)
        let handle = try await runtime.start(approvalFlow(config: ["signal": "approve", "timeout": 5]))
        await handle.untilWaiting(at: "approval")
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(4))
        #expect(handle.signal("approve", "yes"))
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["approval"]?.output == "yes")
    }

    @Test("cancelling a waiting instance ends it cancelled at once; signals are then refused")
    func cancelWhileWaiting() async throws {
        let runtime = Fixtures.runtime()
        let handle = try await runtime.start(approvalFlow())
        await handle.untilWaiting(at: "approval")
        handle.cancel()
        let result = try await handle.result
        #expect(result.status == .cancelled)
        #expect(result.nodes["approval"]?.status == .cancelled)
        #expect(result.nodes["after"]?.status == .cancelled)
        #expect(!handle.signal("approve"))
    }

    @Test("a paused instance still delivers a signal; the successor starts only on resume")
    func pauseWhileWaiting() async throws {
        let runtime = Fixtures.runtime()
        let started = Counter()
        try runtime.register(kind: "count") { _ in
            started.increment()
            return "after"
        }
        let definition = WorkflowDefinition(
            id: "approval",
            nodes: [NodeDefinition("approval", kind: "wait"), NodeDefinition("after", kind: "count")],
            edges: [EdgeDefinition(from: "approval", to: "after")])
        let handle = try await runtime.start(definition)
        await handle.untilWaiting(at: "approval")
        #expect(await handle.pause())
        #expect(handle.signal("approval", "ok"))
        for await event in handle.events {
            if case .nodeCompleted("approval", _) = event.kind { break }
        }
        #expect(started.count == 0)
        #expect(await handle.status == .paused)
        #expect(await handle.resume())
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(started.count == 1)
    }

    @Test("config problems are reported with their paths")
    func validation() throws {
        let runtime = Fixtures.runtime()
        let definition = WorkflowDefinition(
            id: "bad",
            nodes: [
                NodeDefinition("a", kind: "wait", config: ["signal": 3, "timeout": -1, "extra": true]),
                NodeDefinition("b", kind: "wait", config: ["timeout": 2e9]),
                NodeDefinition("c", kind: "wait", config: "approve"),
            ])
        let issues = definition.validationIssues(against: runtime.registry).map(\.path)
        #expect(issues.contains("nodes[0].config.signal"))
        #expect(issues.contains("nodes[0].config.timeout"))
        #expect(issues.contains("nodes[0].config.extra"))
        #expect(issues.contains("nodes[1].config.timeout"))
        #expect(issues.contains("nodes[2].config"))
        #expect(throws: WorkflowValidationError.self) { try runtime.prepare(definition) }
    }

    @Test("an instance without wait nodes refuses every signal")
    func noWaitNodes() async throws {
        let runtime = Fixtures.runtime()
        let handle = try await runtime.start(Fixtures.chain(["a"]))
        #expect(!handle.signal("a"))
        _ = try await handle.result
        #expect(!handle.signal("a"))
    }

    @Test("stress: 400 instances waiting at once, half signalled before they wait, all signalled at once from many tasks")
    func manyInstancesSignalledAtOnce() async throws {
        let runtime = Fixtures.runtime()
        let events = runtime.events()
        let prepared = try runtime.prepare(approvalFlow())
        let count = 400
        var handles: [WorkflowHandle] = []
        for index in 0..<count {
            let handle = runtime.start(prepared, input: .integer(index))
            // Every other one is signalled at once, racing its start: the signal is kept for the node.
            if index.isMultiple(of: 2) { #expect(handle.signal("approve", .integer(index))) }
            handles.append(handle)
        }
        // The others all wait; the first half waits only if its signal came after the node began.
        var waiting = Set<InstanceID>()
        let early = Set(handles.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element.id))
        for await event in events {
            if case .nodeWaiting = event.kind, !early.contains(event.instanceID) { waiting.insert(event.instanceID) }
            if waiting.count == count / 2 { break }
        }
        await withTaskGroup(of: Void.self) { group in
            for (index, handle) in handles.enumerated() where !index.isMultiple(of: 2) {
                group.addTask { #expect(handle.signal("approve", .integer(index))) }
            }
        }
        for (index, handle) in handles.enumerated() {
            let result = try await handle.result
            #expect(result.status == .completed, "\(result.error ?? "")")
            #expect(result.nodes["approval"]?.output == .integer(index))
        }
    }
}
