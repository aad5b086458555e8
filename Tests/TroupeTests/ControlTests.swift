import Testing
import TroupeTesting

@testable import Troupe

@Suite("Cancel, pause, resume, deadline", .timeLimit(.minutes(2)))
struct ControlTests {
    @Test("cancel stops running nodes and marks pending ones cancelled")
    func cancel() async throws {
        let runtime = Fixtures.runtime()
        let definition = WorkflowDefinition(
            id: "c",
            nodes: [
                NodeDefinition("long", kind: "sleep", config: ["seconds": 30]), NodeDefinition("after", kind: "echo"),
                NodeDefinition("also", kind: "sleep", config: ["seconds": 30]),
            ],
            edges: [EdgeDefinition(from: "long", to: "after")])
        let handle = try await runtime.start(definition)
        for await event in handle.events where event.kind.label == "nodeStarted long 1" { break }
        handle.cancel()
        let result = try await handle.result
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
        for await event in handle.events where event.kind.label == "nodeCompleted first" { break }
        #expect(started.recorded == ["first"], "a node started while paused")
        #expect(await handle.status == .paused)
        await handle.resume()
        let result = try await handle.result
        #expect(result.status == .completed)
        #expect(started.recorded == ["first", "second"])
        let labels = await handle.eventKinds().map(\.label)
        #expect(
            labels == [
                "instanceStarted", "nodeStarted first 1", "paused", "nodeCompleted first", "resumed", "nodeStarted second 1", "nodeCompleted second",
                "completed",
            ])
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
        for await event in handle.events where event.kind.label == "nodeCompleted a" { break }
        handle.cancel()
        let result = try await handle.result
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
        let result = try await handle.result
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
        let result = try await handle.result
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
            let result = try await handle.result
            #expect([.completed, .cancelled].contains(result.status))
            if offset % 4 == 1 || offset % 4 == 3 { #expect(result.status == .completed) }
            #expect(result.nodes.values.allSatisfy { $0.status.isTerminal })
            let labels = await handle.eventKinds().map(\.label)
            if labels.first != "instanceStarted" {
                // Cancelled before its task started it: it never starts, and no node runs.
                #expect(offset % 4 == 0 || offset % 4 == 2, "\(labels)")
                #expect(labels.dropLast().allSatisfy { $0.hasPrefix("nodeCancelled") }, "\(labels)")
            }
            #expect(labels.last == result.status.rawValue)
        }
    }
}

@Suite("Deadlines that are met", .timeLimit(.minutes(2)))
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

@Suite("Running in the caller's task", .timeLimit(.minutes(2)))
struct RunInCallerTests {
    @Test("run returns the result, and cancelling the calling task cancels the instance")
    func runAndCancel() async throws {
        let runtime = Fixtures.runtime()
        let quick = try runtime.prepare(Fixtures.chain(["a", "b"]))
        #expect(await runtime.run(quick).nodes["b"]?.output == "b")

        let slow = try runtime.prepare(WorkflowDefinition(id: "slow") { NodeDefinition("wait", kind: "sleep", config: ["seconds": 30]) })
        let events = runtime.events()
        let caller = Task { await runtime.run(slow) }
        for await event in events where event.kind.label == "nodeStarted wait 1" { break }
        caller.cancel()
        let result = await caller.value
        #expect(result.status == .cancelled)
        #expect(result.nodes["wait"]?.status == .cancelled)
    }
}
