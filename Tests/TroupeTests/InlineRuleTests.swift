import Testing
import Troupe
import TroupeTesting

@Suite("A node runs inline only when nothing in its chain can suspend", .timeLimit(.minutes(1)))
struct InlineRuleTests {
    @Test("a synchronous node waiting in a retry back-off does not hold up an independent sibling")
    func backoffDoesNotBlockSiblings() async throws {
        let fixture = VirtualClockFixture()
        let runtime = Fixtures.runtime(clock: fixture.clock)
        let failures = Counter()
        try runtime.register(kind: "flaky") { _ in
            if failures.increment() == 1 { throw ExecutionError(type: "Transient", message: "once") }
            return "late"
        }
        let definition = WorkflowDefinition(
            id: "siblings",
            nodes: [
                NodeDefinition("slow", kind: "flaky", retry: RetryPolicy(maximumAttempts: 2, initialInterval: .seconds(60))),
                NodeDefinition("sibling", kind: "echo"),
            ])
        let handle = try await runtime.start(definition)
        // Once the flaky node waits its 60 virtual seconds, the sibling completes without time moving;
        // were the flaky node inline, the sibling would wait behind its back-off and this would hang.
        await fixture.clock.waitForSleepers()
        for await event in handle.events where event.kind.label == "nodeCompleted sibling" { break }
        #expect(failures.count == 1, "the flaky node has not been retried: its back-off still waits")
        fixture.clock.advance(by: .seconds(60))
        let result = try await handle.result
        #expect(result.nodes["slow"]?.output == "late")
    }

    @Test("an interceptor that declares it never suspends keeps a synchronous node inline")
    func declaredInline() async throws {
        struct Tag: NodeInterceptor {
            var neverSuspends: Bool { true }
            func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
                try await next.handle(call, context: context)
            }
        }
        struct MaySuspend: NodeInterceptor {
            func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
                try await next.handle(call, context: context)
            }
        }
        let runtime = Fixtures.runtime()
        try runtime.registry.register(interceptor: "tag") { _ in Tag() }
        try runtime.registry.register(interceptor: "maybe") { _ in MaySuspend() }
        // A node that outputs the identity of the task it runs in.
        try runtime.register(kind: "where") { _ in .integer(withUnsafeCurrentTask { $0?.hashValue } ?? 0) }
        let caller = withUnsafeCurrentTask { $0?.hashValue } ?? -1
        let inline = try await runtime.run(runtime.prepare(WorkflowDefinition(id: "i") { NodeDefinition("n", kind: "where").intercepted(by: "tag") }))
        #expect(inline.nodes["n"]?.output == .integer(caller), "ran in the caller's task")
        // Beside a sibling that can run at the same time, a node that may suspend gets a task of its own.
        let tasked = try await runtime.run(
            runtime.prepare(
                WorkflowDefinition(id: "t") {
                    NodeDefinition("n", kind: "where").intercepted(by: "maybe")
                    NodeDefinition("m", kind: "where").intercepted(by: "maybe")
                }))
        #expect(tasked.nodes["n"]?.status == .completed)
        #expect(tasked.nodes["n"]?.output != .integer(caller), "an interceptor that may suspend gives the node a task of its own")
        #expect(tasked.nodes["m"]?.output != .integer(caller))
        // Alone, with nothing else that could run, it needs no task: it runs in the instance's own.
        let lone = try await runtime.run(runtime.prepare(WorkflowDefinition(id: "l") { NodeDefinition("n", kind: "where").intercepted(by: "maybe") }))
        #expect(lone.nodes["n"]?.output == .integer(caller), "a lone runnable node runs in the caller's task")
    }
}
