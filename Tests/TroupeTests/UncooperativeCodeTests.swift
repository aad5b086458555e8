import Testing
import Troupe
import TroupeTesting

/// Code that ignores cancellation: the limits still hold, and the runtime stops waiting for it.
@Suite("Timeouts and deadlines hold against code that will not stop", .timeLimit(.minutes(1)))
struct UncooperativeCodeTests {
    /// A runtime whose `stuck` kind waits on `gate`, which ignores cancellation: only the test opens it, after the assertions.
    static func stuckRuntime(_ clock: VirtualClock, gate: Gate) throws -> WorkflowRuntime {
        let runtime = Fixtures.runtime(clock: clock)
        try runtime.register(kind: "stuck") { (_: NodeCall) async throws -> JSONValue in
            await gate.pass()
            return "too late"
        }
        return runtime
    }

    @Test("a node timeout ends the node timedOut at the limit although its code ignores cancellation")
    func nodeTimeout() async throws {
        let fixture = VirtualClockFixture()
        let gate = Gate()
        let runtime = try Self.stuckRuntime(fixture.clock, gate: gate)
        let handle = try await runtime.start(WorkflowDefinition(id: "t", nodes: [NodeDefinition("n", kind: "stuck", timeout: .seconds(1))]))
        await fixture.advance(through: 1, by: .seconds(1))
        let result = try await handle.result
        #expect(result.nodes["n"]?.status == .timedOut)
        #expect(result.status == .failed)
        gate.openAll()
    }

    @Test("a workflow deadline ends the instance timedOut at the limit although a node ignores cancellation")
    func deadline() async throws {
        let fixture = VirtualClockFixture()
        let gate = Gate()
        let runtime = try Self.stuckRuntime(fixture.clock, gate: gate)
        var definition = WorkflowDefinition(
            id: "d", nodes: [NodeDefinition("n", kind: "stuck"), NodeDefinition("after", kind: "echo")],
            edges: [EdgeDefinition(from: "n", to: "after")])
        definition.deadline = .seconds(5)
        let handle = try await runtime.start(definition)
        await fixture.advance(through: 1, by: .seconds(5))
        let result = try await handle.result
        #expect(result.status == .timedOut)
        #expect(result.errorType == "DeadlineExceeded")
        #expect(result.nodes["n"]?.status == .cancelled)
        #expect(result.nodes["after"]?.status == .cancelled)
        gate.openAll()
        // What the abandoned code returns later changes nothing, and no event follows the final one.
        let kinds = await handle.eventKinds()
        #expect(kinds.last?.isFinal == true)
        #expect(kinds.filter(\.isFinal).count == 1)
        #expect(try await handle.result == result)
    }

    @Test("stress: a deadline that fires while nodes are being started, skipped and finished ends every instance cleanly")
    func deadlineRacingTheScheduler() async throws {
        let runtime = Fixtures.runtime()
        try runtime.register(kind: "hop") { (call: NodeCall) async throws -> JSONValue in
            await Task.yield()
            return .string(call.nodeID)
        }
        var definition = Fixtures.diamond(branches: 48, kind: "hop")
        definition.nodes.append(NodeDefinition("tail", kind: "fail"))
        definition.edges.append(EdgeDefinition(from: "join", to: "tail"))
        definition.nodes.append(NodeDefinition("skipped", kind: "echo"))
        definition.edges.append(EdgeDefinition(from: "tail", to: "skipped"))
        // Deadlines of a few microseconds to a few hundred on the real clock land anywhere in the run.
        for round in 0..<300 {
            definition.deadline = .microseconds(1 + (round * 7) % 400)
            let handle = runtime.start(try runtime.prepare(definition))
            let result = try await handle.result
            #expect(result.status.isTerminal)
            #expect(result.nodes.values.allSatisfy { $0.status.isTerminal })
            // A node that completed just as the deadline fired keeps the output its event announced.
            #expect(result.nodes.values.allSatisfy { $0.status != .completed || $0.output != nil }, "\(result.nodes)")
            let kinds = await handle.eventKinds()
            #expect(kinds.filter(\.isFinal).count == 1)
        }
    }
}
