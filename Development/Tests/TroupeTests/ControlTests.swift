import Testing
@testable import Troupe
import TroupeTesting

@Suite("Cancel, pause, resume, deadline")
struct ControlTests {
    /// A kind whose calls wait until the test opens the gate, counting arrivals.
    final class Gate: Sendable {
        private let arrivals = LockedValue<(count: Int, waiters: [(Int, CheckedContinuation<Void, Never>)])>((0, []))
        private let open = LockedValue<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func pass() async {
            let arrived = arrivals.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.count += 1
                let count = state.count
                defer { state.waiters.removeAll { $0.0 <= count } }
                return state.waiters.filter { $0.0 <= count }.map(\.1)
            }
            for waiter in arrived { waiter.resume() }
            await withCheckedContinuation { continuation in
                let now = open.withLock { state -> Bool in
                    if state.isOpen { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        }

        func openAll() {
            let waiters = open.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.isOpen = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }

        func waitForArrivals(_ count: Int) async {
            await withCheckedContinuation { continuation in
                let now = arrivals.withLock { state -> Bool in
                    if state.count >= count { return true }
                    state.waiters.append((count, continuation))
                    return false
                }
                if now { continuation.resume() }
            }
        }
    }

    @Test("cancel stops running nodes and marks pending ones cancelled")
    func cancel() async throws {
        let runtime = Fixtures.runtime()
        let definition = WorkflowDefinition(
            id: "c",
            nodes: [NodeDefinition("long", kind: "sleep", config: ["seconds": 30]), NodeDefinition("after", kind: "echo"), NodeDefinition("also", kind: "sleep", config: ["seconds": 30])],
            edges: [EdgeDefinition(from: "long", to: "after")])
        let handle = try await runtime.start(definition)
        for await event in handle.events where event.kind.label == "nodeStarted long 1" { break }
        let clock = ContinuousClock()
        let started = clock.now
        handle.cancel()
        let result = await handle.result
        #expect(clock.now - started < .seconds(5))
        #expect(result.status == .cancelled)
        #expect(result.nodes["long"]?.status == .cancelled)
        #expect(result.nodes["also"]?.status == .cancelled)
        #expect(result.nodes["after"]?.status == .cancelled)
        let kinds = await handle.eventKinds()
        #expect(kinds.last?.label == "cancelled")
    }

    @Test("pause lets running nodes finish and starts none until resume")
    func pauseResume() async throws {
        let runtime = Fixtures.runtime()
        let gate = Gate()
        let started = Journal()
        try runtime.register(kind: "gated") { call in
            started.record(call.nodeID)
            await gate.pass()
            return nil
        }
        try runtime.register(kind: "note") { call in
            started.record(call.nodeID)
            return nil
        }
        let definition = WorkflowDefinition(
            id: "p", nodes: [NodeDefinition("first", kind: "gated"), NodeDefinition("second", kind: "note")],
            edges: [EdgeDefinition(from: "first", to: "second")])
        let handle = try await runtime.start(definition)
        await gate.waitForArrivals(1)
        await handle.pause()
        #expect(await handle.status == .paused)
        gate.openAll()
        try await Task.sleep(for: .milliseconds(50))
        #expect(started.recorded == ["first"], "a node started while paused")
        #expect(await handle.status == .paused)
        await handle.resume()
        let result = await handle.result
        #expect(result.status == .completed)
        #expect(started.recorded == ["first", "second"])
        let labels = await handle.eventKinds().map(\.label)
        #expect(labels == ["instanceStarted", "nodeStarted first 1", "paused", "nodeCompleted first", "resumed", "nodeStarted second 1", "nodeCompleted second", "completed"])
    }

    @Test("cancel reaches a paused instance")
    func cancelWhilePaused() async throws {
        let runtime = Fixtures.runtime()
        let gate = Gate()
        try runtime.register(kind: "gated") { _ in
            await gate.pass()
            return nil
        }
        let handle = try await runtime.start(Fixtures.chain(["a", "b"], kind: "gated"))
        await gate.waitForArrivals(1)
        await handle.pause()
        gate.openAll()
        try await Task.sleep(for: .milliseconds(20))
        handle.cancel()
        let result = await handle.result
        #expect(result.status == .cancelled)
        #expect(result.nodes["a"]?.status == .completed)
        #expect(result.nodes["b"]?.status == .cancelled)
    }

    @Test("a workflow deadline ends the instance as timed out", arguments: [ExecutionStrategy.dag(), .sequential])
    func deadline(strategy: ExecutionStrategy) async throws {
        let fixture = VirtualClockFixture()
        let runtime = Fixtures.runtime(clock: fixture.clock)
        var definition = WorkflowDefinition(
            id: "d", nodes: [NodeDefinition("slow", kind: "sleep", config: ["seconds": 60]), NodeDefinition("next", kind: "echo")],
            edges: [EdgeDefinition(from: "slow", to: "next")], strategy: strategy)
        definition.deadline = .seconds(5)
        let handle = try await runtime.start(definition)
        await fixture.clock.waitForSleeps(count: 2)
        fixture.clock.advance(by: .seconds(5))
        let result = await handle.result
        #expect(result.status == .timedOut)
        #expect(result.nodes["slow"]?.status == .cancelled)
        #expect(result.nodes["next"]?.status == .cancelled)
        #expect(await handle.eventKinds().last?.label == "timedOut")
    }

    @Test("cancelling a parent cancels its child workflow")
    func childCancelled() async throws {
        let runtime = Fixtures.runtime()
        let childEvents = runtime.events()
        let child: JSONValue = ["id": "child", "version": "1.0.0", "nodes": [["id": "wait", "kind": "sleep", "config": ["seconds": 30]]]]
        let parent = WorkflowDefinition(id: "parent", nodes: [NodeDefinition("sub", kind: "workflow", config: ["definition": child])])
        let handle = try await runtime.start(parent)
        var iterator = childEvents.makeAsyncIterator()
        while let event = await iterator.next(), !(event.workflowID == "child" && event.kind.label.hasPrefix("nodeStarted")) {}
        handle.cancel()
        let result = await handle.result
        #expect(result.status == .cancelled)
        var childEnd: String?
        while let event = await iterator.next() {
            if event.workflowID == "child" && event.kind.isFinal {
                childEnd = event.kind.label
                break
            }
        }
        #expect(childEnd == "cancelled")
        #expect(result.nodes["sub"]?.status == .cancelled)
    }

    @Test("stress: cancelling, pausing and resuming many instances at random leaves each in a legal end state")
    func stress() async throws {
        let runtime = Fixtures.runtime()
        try runtime.register(kind: "nap") { _ in
            try await Task.sleep(for: .microseconds(Int.random(in: 0...500)))
            return nil
        }
        let prepared = try runtime.prepare(Fixtures.diamond(branches: 6, kind: "nap"))
        let handles = (0..<300).map { _ in runtime.start(prepared) }
        await withTaskGroup(of: Void.self) { group in
            for (offset, handle) in handles.enumerated() {
                group.addTask {
                    switch offset % 4 {
                    case 0: handle.cancel()
                    case 1:
                        await handle.pause()
                        await Task.yield()
                        await handle.resume()
                    case 2:
                        await handle.pause()
                        handle.cancel()
                    default: break
                    }
                }
            }
        }
        for (offset, handle) in handles.enumerated() {
            let result = await handle.result
            #expect([.completed, .cancelled].contains(result.status))
            if offset % 4 == 1 || offset % 4 == 3 { #expect(result.status == .completed) }
            #expect(result.nodes.values.allSatisfy { $0.status.isTerminal })
            let labels = await handle.eventKinds().map(\.label)
            #expect(labels.first == "instanceStarted")
            #expect(labels.last == result.status.rawValue)
        }
    }
}

@Suite("Deadlines that are met")
struct DeadlineMetTests {
    @Test("an instance that finishes before its deadline completes")
    func completesInTime() async throws {
        let runtime = Fixtures.runtime()
        var definition = Fixtures.chain(["a", "b"])
        definition.deadline = .seconds(30)
        let result = try await runtime.start(definition).result
        #expect(result.status == .completed)
        #expect(result.error == nil)
    }
}

@Suite("Running in the caller's task")
struct RunInCallerTests {
    @Test("run returns the result, and cancelling the calling task cancels the instance")
    func runAndCancel() async throws {
        let runtime = Fixtures.runtime()
        let quick = try runtime.prepare(Fixtures.chain(["a", "b"]))
        #expect(await runtime.run(quick).nodes["b"]?.output == "b")

        let slow = try runtime.prepare(WorkflowDefinition(id: "slow") { NodeDefinition("wait", kind: "sleep", config: ["seconds": 30]) })
        let caller = Task { await runtime.run(slow) }
        try await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        let result = await caller.value
        #expect(result.status == .cancelled)
        #expect(result.nodes["wait"]?.status == .cancelled)
    }
}
