import Testing
import Troupe

@Suite("Conditional edges and skipping", .timeLimit(.minutes(2)))
struct ConditionTests {
    static func runtime() throws -> WorkflowRuntime {
        let runtime = Fixtures.runtime()
        try runtime.register(kind: "emit") { call in call.config }
        return runtime
    }

    @Test("conditions select branches; skips propagate downstream")
    func branches() async throws {
        let runtime = try Self.runtime()
        let definition = WorkflowDefinition(
            id: "c",
            nodes: [
                NodeDefinition("check", kind: "emit", config: ["status": "ok", "count": 3, "tags": ["x"]]),
                NodeDefinition("onOK", kind: "echo"), NodeDefinition("onError", kind: "echo"),
                NodeDefinition("afterError", kind: "echo"), NodeDefinition("countIs3", kind: "echo"),
                NodeDefinition("hasTags", kind: "echo"), NodeDefinition("noMissing", kind: "echo"),
            ],
            edges: [
                EdgeDefinition(from: "check", to: "onOK", when: .equals("/status", "ok")),
                EdgeDefinition(from: "check", to: "onError", when: .notEquals("/status", "ok")),
                EdgeDefinition(from: "onError", to: "afterError"),
                EdgeDefinition(from: "check", to: "countIs3", when: .oneOf("/count", [1, 3.0])),
                EdgeDefinition(from: "check", to: "hasTags", when: .exists("/tags/0")),
                EdgeDefinition(from: "check", to: "noMissing", when: EdgeCondition(pointer: "/missing", .exists(false))),
            ])
        let result = try await runtime.start(definition).result
        #expect(result.status == .completed)
        #expect(result.nodes["onOK"]?.status == .completed)
        #expect(result.nodes["onError"]?.status == .skipped)
        #expect(result.nodes["onError"]?.skipReason == "condition on edge check → onError is false")
        #expect(result.nodes["onError"]?.error == nil, "a skip is not an error")
        #expect(result.nodes["afterError"]?.status == .skipped)
        #expect(result.nodes["afterError"]?.skipReason == "upstream node onError skipped")
        #expect(result.nodes["countIs3"]?.status == .completed)
        #expect(result.nodes["hasTags"]?.status == .completed)
        #expect(result.nodes["noMissing"]?.status == .completed)
    }

    @Test(
        "a failed node skips its downstream, independent branches still run, and the instance fails",
        arguments: [
            ExecutionStrategy.dag(), .sequential, .parallel(maxConcurrency: 2),
        ])
    func failurePropagates(strategy: ExecutionStrategy) async throws {
        let runtime = try Self.runtime()
        let definition = WorkflowDefinition(
            id: "f",
            nodes: [
                NodeDefinition("a", kind: "fail"), NodeDefinition("b", kind: "echo"), NodeDefinition("c", kind: "echo"), NodeDefinition("other", kind: "echo"),
            ],
            edges: [EdgeDefinition(from: "a", to: "b"), EdgeDefinition(from: "b", to: "c")],
            strategy: strategy)
        let handle = try await runtime.start(definition)
        let result = try await handle.result
        #expect(result.status == .failed)
        #expect(result.error == "node a failed: Boom: a failed")
        #expect(result.errorType == "Boom", "the failure keeps the type retry policies key on")
        #expect(result.nodes["a"]?.errorType == "Boom")
        #expect(result.nodes["a"]?.status == .failed)
        #expect(result.nodes["b"]?.status == .skipped)
        #expect(result.nodes["c"]?.status == .skipped)
        #expect(result.nodes["other"]?.status == .completed)
        let kinds = await handle.eventKinds()
        #expect(kinds.contains(.nodeSkipped(node: "c", reason: "upstream node b skipped")))
    }
}
