import Testing
import Troupe

@Suite("Events", .timeLimit(.minutes(2)))
struct EventTests {
    @Test("an instance publishes its events in order, numbered, and a late subscriber still sees them all")
    func instanceStream() async throws {
        let runtime = Fixtures.runtime()
        let definition = WorkflowDefinition(
            id: "e", nodes: [NodeDefinition("a", kind: "echo"), NodeDefinition("b", kind: "echo"), NodeDefinition("skip", kind: "echo")],
            edges: [EdgeDefinition(from: "a", to: "b"), EdgeDefinition(from: "a", to: "skip", when: .equals("", "never"))],
            strategy: .sequential)
        let handle = try await runtime.start(definition)
        _ = try await handle.result
        var events: [WorkflowEvent] = []
        for await event in handle.events { events.append(event) }
        #expect(
            events.map(\.kind.label) == [
                "instanceStarted", "nodeStarted a 1", "nodeCompleted a", "nodeStarted b 1", "nodeCompleted b", "nodeSkipped skip", "completed",
            ])
        #expect(events.map(\.sequence) == Array(0..<events.count))
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
        #expect(events.allSatisfy { $0.instanceID == handle.id && $0.workflowID == "e" })
    }

    @Test("the runtime-wide subscription sees every instance's events, each instance in its own order")
    func runtimeStream() async throws {
        let runtime = Fixtures.runtime()
        let stream = runtime.events()
        let prepared = try runtime.prepare(Fixtures.chain(["a", "b", "c"]))
        let handles = (0..<50).map { _ in runtime.start(prepared) }
        for handle in handles { _ = try await handle.result }
        var perInstance: [InstanceID: [Int]] = [:]
        var finished = 0
        for await event in stream {
            perInstance[event.instanceID, default: []].append(event.sequence)
            if event.kind.isFinal {
                finished += 1
                if finished == handles.count { break }
            }
        }
        #expect(perInstance.count == 50)
        #expect(perInstance.values.allSatisfy { $0 == Array(0..<8) })
    }

    @Test("a subscriber that never reads neither stalls the workflow nor loses events")
    func slowSubscriber() async throws {
        let runtime = Fixtures.runtime()
        let ignored = runtime.events()
        let prepared = try runtime.prepare(Fixtures.chain((0..<20).map { "n\($0)" }))
        for _ in 0..<100 { #expect(try await runtime.start(prepared).result.status == .completed) }
        var count = 0
        for await event in ignored {
            count += 1
            if count == 100 * 42 { break }
            _ = event
        }
        #expect(count == 100 * 42)
    }

    @Test("an instance run without a handle keeps no history, yet one listening mid-run gets its events numbered where they are")
    func unhandledInstanceNumbersEventsItDoesNotKeep() async throws {
        let runtime = Fixtures.runtime()
        let gate = Gate()
        try runtime.register(kind: "gated") { (_: NodeCall) async throws -> JSONValue in
            await gate.pass()
            return "done"
        }
        var definition = Fixtures.chain(["a", "b"])
        definition.nodes.append(NodeDefinition("held", kind: "gated"))
        definition.nodes.append(NodeDefinition("c", kind: "echo"))
        definition.edges += [EdgeDefinition(from: "b", to: "held"), EdgeDefinition(from: "held", to: "c")]
        let prepared = try runtime.prepare(definition)
        let run = Task { await runtime.run(prepared) }
        // Nobody listens while a and b run: their events are numbered but neither built nor kept.
        await gate.waitForArrivals(1)
        let stream = runtime.events()
        gate.openAll()
        var events: [WorkflowEvent] = []
        for await event in stream {
            events.append(event)
            if event.kind.isFinal { break }
        }
        #expect(await run.value.status == .completed)
        #expect(events.map(\.kind.label) == ["nodeCompleted held", "nodeStarted c 1", "nodeCompleted c", "completed"])
        // instanceStarted, then started and completed for a and b, then started for held: 6 before.
        #expect(events.map(\.sequence) == Array(6..<10))
    }
}
