import Foundation
import Testing
import Troupe

/// Child workflows are validated with their parent: inline definitions with paths into them, files
/// by path, and a file that includes itself is refused before anything runs.
@Suite("Child workflow validation", .timeLimit(.minutes(1)))
struct ChildWorkflowValidationTests {
    /// A fresh directory for the test's files.
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-children-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private static func parent(_ config: JSONValue) -> WorkflowDefinition {
        WorkflowDefinition(id: "parent", nodes: [NodeDefinition("sub", kind: "workflow", config: config)])
    }

    @Test("an inline child's problems are reported with paths into it, and prepare refuses")
    func inlineChild() throws {
        let child: JSONValue = [
            "id": "child", "version": "1.0.0",
            "nodes": [["id": "x", "kind": "echo"], ["id": "y", "kind": "echo"], ["id": "z", "kind": "teleport"]],
        ]
        let runtime = Fixtures.runtime()
        let definition = Self.parent(["definition": child])
        let found = definition.validationIssues(against: runtime.registry)
        #expect(found.map(\.path) == ["nodes[0].config.definition.nodes[2].kind"])
        #expect(found.first?.message.hasPrefix("unknown executor \"teleport\"") == true)
        #expect(throws: WorkflowValidationError.self) { try runtime.prepare(definition) }
    }

    @Test("a grandchild inline is reached too, and decoding errors are nested the same way")
    func nestedInline() {
        let grandchild: JSONValue = ["id": "g", "version": "1.0.0", "nodes": [["id": "x", "kind": "echo", "timeout": "soon"]]]
        let child: JSONValue = ["id": "c", "version": "1.0.0", "nodes": [["id": "inner", "kind": "workflow", "config": ["definition": grandchild]]]]
        let found = Self.parent(["definition": child]).validationIssues(against: Fixtures.runtime().registry)
        #expect(
            found == [
                ValidationIssue(
                    path: "nodes[0].config.definition.nodes[0].config.definition.nodes[0].timeout", message: "expected a number of seconds, found string")
            ])
    }

    @Test("a workflow node needs exactly one of definition and path")
    func badConfig() {
        for config: JSONValue in [nil, ["definition": [:], "path": "x.json"], ["path": 3]] {
            let found = Self.parent(config).validationIssues(against: Fixtures.runtime().registry)
            #expect(found.map(\.description) == ["nodes[0].config: needs exactly one of 'definition' (an object) or 'path' (a string)"])
        }
    }

    @Test("a file that includes itself is refused at validation")
    func selfInclusion() throws {
        let path = directory.appendingPathComponent("self.json").path
        _ = try write("self.json", #"{"id": "self", "version": "1.0.0", "nodes": [{"id": "again", "kind": "workflow", "config": {"path": "\#(path)"}}]}"#)
        let definition = try WorkflowDefinition(contentsOf: URL(fileURLWithPath: path))
        let found = definition.validationIssues(against: Fixtures.runtime().registry)
        #expect(found.count == 1)
        #expect(found.first?.path == "nodes[0].config.path")
        #expect(found.first?.message.contains("the child workflow includes itself: \(path) → \(path)") == true, "\(found)")
        #expect(throws: WorkflowValidationError.self) { try Fixtures.runtime().prepare(definition) }
    }

    @Test("two files that include each other, by relative paths resolved from the including file")
    func mutualInclusion() throws {
        let first = try write(
            "first.json", #"{"id": "first", "version": "1.0.0", "nodes": [{"id": "to-second", "kind": "workflow", "config": {"path": "second.json"}}]}"#)
        let second = try write(
            "second.json", #"{"id": "second", "version": "1.0.0", "nodes": [{"id": "to-first", "kind": "workflow", "config": {"path": "./first.json"}}]}"#)
        let found = Self.parent(["path": .string(first)]).validationIssues(against: Fixtures.runtime().registry)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("the child workflow includes itself: \(first) → \(second) → \(first)") == true, "\(found)")
    }

    @Test("a file included twice without a cycle is fine, and its problems are reported once")
    func diamondInclusion() throws {
        let leaf = try write("leaf.json", #"{"id": "leaf", "version": "1.0.0", "nodes": [{"id": "x", "kind": "nope"}]}"#)
        let definition = WorkflowDefinition(
            id: "parent",
            nodes: [
                NodeDefinition("one", kind: "workflow", config: ["path": .string(leaf)]),
                NodeDefinition("two", kind: "workflow", config: ["path": .string(leaf)]),
            ])
        let found = definition.validationIssues(against: Fixtures.runtime().registry)
        #expect(found.map(\.path) == ["nodes[0].config.path"])
        #expect(found.first?.message.hasPrefix("\(leaf): nodes[0].kind: unknown executor \"nope\"") == true, "\(found)")
    }

    @Test("a missing child file is a problem of the parent")
    func missingFile() {
        let found = Self.parent(["path": .string(directory.appendingPathComponent("gone.json").path)]).validationIssues(against: Fixtures.runtime().registry)
        #expect(found.count == 1)
        #expect(found.first?.message.hasSuffix("cannot read the file: No such file or directory") == true, "\(found)")
    }

    @Test("nesting deeper than the bound is refused")
    func deepNesting() {
        var child: JSONValue = ["id": "leaf", "version": "1.0.0", "nodes": [["id": "x", "kind": "echo"]]]
        for _ in 0..<40 { child = ["id": "c", "version": "1.0.0", "nodes": [["id": "n", "kind": "workflow", "config": ["definition": child]]]] }
        let found = Self.parent(["definition": child]).validationIssues(against: Fixtures.runtime().registry)
        #expect(found.count == 1)
        #expect(found.first?.message == "child workflows are nested more than 32 levels deep")
    }
}
