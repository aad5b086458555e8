import Testing
import Troupe

/// Validation of 100,000-node files: each cyclic component reported once, the list capped, no deep recursion.
///
/// Each test is seconds of work that never suspends, so it runs on a ``SeparateThread`` (on the
/// cooperative pool it would stop every other suite meanwhile), one test at a time (so that at most
/// one such thread competes with the pool for the cores).
@Suite("Large graph validation", .serialized, .timeLimit(.minutes(2)))
struct LargeGraphValidationTests {
    static let count = 100_000

    /// The workflow-file text of a chain n0 → n1 → … plus, when asked, a back edge from every node to n0.
    static func chainFile(count: Int, backEdges: Bool) -> String {
        var text = #"{"id": "big", "version": "1.0.0", "nodes": ["#
        text.reserveCapacity(count * 80)
        for index in 0..<count { text += (index == 0 ? "" : ",") + #"{"id": "n\#(index)", "kind": "echo"}"# }
        text += #"], "edges": ["#
        for index in 1..<count { text += (index == 1 ? "" : ",") + #"{"from": "n\#(index - 1)", "to": "n\#(index)"}"# }
        if backEdges { for index in 1..<count { text += #",{"from": "n\#(index)", "to": "n0"}"# } }
        return text + "]}"
    }

    private let registry = Fixtures.runtime().registry

    @Test("a chain with a back edge from every node to the first is one component, one cycle")
    func chainWithBackEdges() async throws {
        let registry = registry
        let issues = try await SeparateThread.run {
            try WorkflowDefinition(json: Self.chainFile(count: Self.count, backEdges: true)).validationIssues(against: registry)
        }
        #expect(
            issues.map(\.description) == [
                "edges: cycle: n0 → n1 → n0 (one of the cycles among 100000 nodes that all reach each other)",
                "nodes: no entry node: every node has an incoming edge",
            ])
    }

    @Test("a plain 100,000-node chain is valid and prepares")
    func plainChain() async throws {
        let registry = registry
        let (issues, preparedCount) = try await SeparateThread.run {
            let definition = try WorkflowDefinition(json: Self.chainFile(count: Self.count, backEdges: false))
            return (definition.validationIssues(against: registry), try Fixtures.runtime().prepare(definition).definition.nodes.count)
        }
        #expect(issues.isEmpty)
        #expect(preparedCount == Self.count)
    }

    @Test("a ring of 100,000 nodes is one cycle, shortened in its message")
    func ring() async throws {
        let registry = registry
        let found = try await SeparateThread.run {
            var definition = Fixtures.chain((0..<Self.count).map { "n\($0)" })
            definition.edges.append(EdgeDefinition(from: "n\(Self.count - 1)", to: "n0"))
            return definition.validationIssues(against: registry).map(\.description)
        }
        let shown = (0..<20).map { "n\($0)" }.joined(separator: " → ")
        #expect(found == ["edges: cycle: \(shown) → … (100000 nodes)", "nodes: no entry node: every node has an incoming edge"])
    }

    @Test("50,000 separate two-node cycles are listed up to the cap, then counted")
    func manyComponents() async throws {
        let registry = registry
        let cycles = try await SeparateThread.run {
            var definition = WorkflowDefinition(id: "w", nodes: [NodeDefinition("start", kind: "echo")])
            for pair in 0..<(Self.count / 2) {
                definition.nodes += [NodeDefinition("a\(pair)", kind: "echo"), NodeDefinition("b\(pair)", kind: "echo")]
                definition.edges += [EdgeDefinition(from: "a\(pair)", to: "b\(pair)"), EdgeDefinition(from: "b\(pair)", to: "a\(pair)")]
            }
            return definition.validationIssues(against: registry).filter { $0.path == "edges" }.map(\.message)
        }
        #expect(cycles.count == 11)
        #expect(cycles.first?.hasPrefix("cycle: ") == true)
        #expect(cycles.last == "49990 more cycles not shown (50000 in all)")
    }
}
