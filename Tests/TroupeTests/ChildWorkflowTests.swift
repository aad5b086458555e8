import Foundation
import Testing
import Troupe

@Suite("Child workflows", .timeLimit(.minutes(2)))
struct ChildWorkflowTests {
    @Test("a workflow node runs a child instance and outputs its exit nodes' outputs")
    func runsChild() async throws {
        let runtime = Fixtures.runtime()
        try runtime.register(kind: "double") { call in .integer((call.input["n"]?.integerValue ?? 0) * 2) }
        let child: JSONValue = ["id": "child", "version": "1.0.0", "nodes": [["id": "twice", "kind": "double"]]]
        let parent = WorkflowDefinition(
            id: "parent",
            nodes: [
                NodeDefinition("inline", kind: "workflow", config: ["definition": child, "input": ["n": 4]]),
                NodeDefinition("inherit", kind: "workflow", config: ["definition": child]),
            ])
        let result = try await runtime.start(parent, input: ["n": 10]).result
        #expect(result.status == .completed)
        #expect(result.nodes["inline"]?.output == ["twice": 8])
        #expect(result.nodes["inherit"]?.output == ["twice": 20])
    }

    @Test("a child loaded from a file; a failing child fails its node")
    func fromFile() async throws {
        let runtime = Fixtures.runtime()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-child-\(UUID().uuidString).json")
        try #"{"id": "bad", "version": "1.0.0", "nodes": [{"id": "x", "kind": "fail"}]}"#.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let parent = WorkflowDefinition(id: "parent", nodes: [NodeDefinition("sub", kind: "workflow", config: ["path": .string(file.path)])])
        let result = try await runtime.start(parent).result
        #expect(result.status == .failed)
        #expect(result.nodes["sub"]?.error?.hasPrefix("ChildWorkflow: child workflow bad failed: node x failed") == true)
    }
}
