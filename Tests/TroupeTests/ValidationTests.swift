import Testing
import Troupe

@Suite("Validation", .timeLimit(.minutes(2)))
struct ValidationTests {
    let registry = Fixtures.runtime().registry

    private func issues(_ definition: WorkflowDefinition) -> [String] {
        definition.validationIssues(against: registry).map(\.description)
    }

    @Test("a valid workflow has no issues")
    func valid() {
        #expect(issues(Fixtures.diamond(branches: 3, kind: "echo")).isEmpty)
    }

    @Test("no nodes")
    func noNodes() {
        #expect(issues(WorkflowDefinition(id: "w")) == ["nodes: a workflow needs at least one node"])
    }

    @Test("missing id, invalid version, bad deadline and strategy bound")
    func header() {
        let definition = WorkflowDefinition(
            id: "", version: "one", nodes: [NodeDefinition("a", kind: "echo")], strategy: .parallel(maxConcurrency: 0), deadline: .zero)
        let found = issues(definition)
        #expect(found.contains("id: is missing or empty"))
        #expect(found.contains { $0.hasPrefix("version: \"one\" is not a semantic version") })
        #expect(found.contains { $0.hasPrefix("deadline: must be positive") })
        #expect(found.contains("strategy.maxConcurrency: must be at least 1, found 0"))
    }

    @Test("duplicate ids, unknown kinds and interceptors, bad timeouts and retry values")
    func nodes() {
        let definition = WorkflowDefinition(
            id: "w",
            nodes: [
                NodeDefinition("a", kind: "echo", timeout: .seconds(-1)),
                NodeDefinition("a", kind: "teleport"),
                NodeDefinition(
                    "c", kind: "echo", retry: RetryPolicy(maximumAttempts: -1, backoffCoefficient: 0.5, maximumInterval: .milliseconds(1), jitter: 2),
                    interceptors: ["nope"]),
                NodeDefinition("", kind: ""),
            ],
            interceptors: ["missing"])
        let found = issues(definition)
        #expect(found.contains { $0.hasPrefix("nodes[0].timeout: must be positive") })
        #expect(found.contains("nodes[1].id: duplicate node id \"a\" (first declared at nodes[0])"))
        #expect(found.contains { $0.hasPrefix("nodes[1].kind: unknown executor \"teleport\"") })
        #expect(found.contains { $0.hasPrefix("nodes[2].interceptors[0]: unknown interceptor \"nope\"") })
        #expect(found.contains { $0.hasPrefix("interceptors[0]: unknown interceptor \"missing\"") })
        #expect(found.contains("nodes[2].retry.maximumAttempts: must be 0 (no limit) or more, found -1"))
        #expect(found.contains("nodes[2].retry.backoffCoefficient: must be at least 1, found 0.5"))
        #expect(found.contains("nodes[2].retry.maximumInterval: must not be less than initialInterval"))
        #expect(found.contains("nodes[2].retry.jitter: must be between 0 and 1, found 2.0"))
        #expect(found.contains("nodes[3].id: is missing or empty"))
        #expect(found.contains("nodes[3].kind: is missing or empty"))
    }

    @Test("edges to unknown nodes, self-loops, duplicates and bad pointers")
    func edges() {
        var definition = Fixtures.chain(["a", "b"])
        definition.edges += [
            EdgeDefinition(from: "a", to: "ghost"),
            EdgeDefinition(from: "b", to: "b"),
            EdgeDefinition(from: "a", to: "b"),
            EdgeDefinition(from: "a", to: "b", when: .equals("no-slash", 1)),
        ]
        let found = issues(definition)
        #expect(found.contains("edges[1].to: unknown node \"ghost\""))
        #expect(found.contains("edges[2]: self-loop: b → b"))
        #expect(found.contains("edges[3]: duplicate edge a → b (first at edges[0])"))
        #expect(found.contains { $0.hasPrefix("edges[4].when.pointer: invalid JSON Pointer \"no-slash\"") })
    }

    @Test("cycles are printed and nodes behind them are unreachable")
    func cycles() {
        let definition = WorkflowDefinition(
            id: "w",
            nodes: ["s", "a", "b", "c", "x", "y"].map { NodeDefinition($0, kind: "echo") },
            edges: [
                EdgeDefinition(from: "s", to: "a"), EdgeDefinition(from: "a", to: "b"), EdgeDefinition(from: "b", to: "c"),
                EdgeDefinition(from: "c", to: "a"), EdgeDefinition(from: "x", to: "y"), EdgeDefinition(from: "y", to: "x"),
            ])
        let found = issues(definition)
        #expect(found.contains("edges: cycle: a → b → c → a"))
        #expect(found.contains("edges: cycle: x → y → x"))
        #expect(found.contains("nodes[4]: node \"x\" is unreachable from every entry node"))
        #expect(found.contains("nodes[5]: node \"y\" is unreachable from every entry node"))
        #expect(!found.contains { $0.contains("\"a\" is unreachable") })
    }

    @Test("every node in a cycle means no entry node")
    func noEntry() {
        let definition = WorkflowDefinition(
            id: "w", nodes: [NodeDefinition("a", kind: "echo"), NodeDefinition("b", kind: "echo")],
            edges: [EdgeDefinition(from: "a", to: "b"), EdgeDefinition(from: "b", to: "a")])
        #expect(issues(definition) == ["edges: cycle: a → b → a", "nodes: no entry node: every node has an incoming edge"])
    }

    @Test("prepare refuses an invalid workflow with every issue")
    func prepareRefuses() {
        let runtime = Fixtures.runtime()
        let definition = WorkflowDefinition(id: "w", nodes: [NodeDefinition("a", kind: "nope"), NodeDefinition("a", kind: "echo")])
        let error = #expect(throws: WorkflowValidationError.self) { try runtime.prepare(definition) }
        #expect(error?.issues.count == 2)
    }

    @Test("bad interceptor configuration is reported at its place")
    func interceptorConfig() {
        let runtime = Fixtures.runtime()
        var definition = Fixtures.chain(["a"])
        definition.nodes[0].interceptors = [InterceptorReference("timeout", config: ["seconds": -1])]
        let error = #expect(throws: WorkflowValidationError.self) { try runtime.prepare(definition) }
        #expect(error?.issues.first?.path == "nodes[0].interceptors[0]")
    }
}
