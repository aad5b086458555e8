import Testing
import Troupe

@Suite("Workflow definitions", .timeLimit(.minutes(2)))
struct DefinitionTests {
    static let fullExample = """
        {
          "id": "etl", "name": "ETL", "version": "1.2.0-beta.1", "description": "demo",
          "strategy": {"type": "parallel", "maxConcurrency": 4},
          "deadline": 30,
          "interceptors": ["audit", {"name": "limit", "config": {"rate": 5}}],
          "nodes": [
            {"id": "a", "kind": "shell", "config": {"command": "echo", "arguments": ["hi"]},
             "retry": {"maximumAttempts": 5, "initialInterval": 0.25, "backoffCoefficient": 1.5,
                       "maximumInterval": 4, "jitter": 0.1, "nonRetryableErrorTypes": ["ShellExit"]},
             "timeout": 2.5, "interceptors": ["audit"]},
            {"id": "b", "kind": "sleep", "config": {"seconds": 0.1}},
            {"id": "c", "kind": "sleep"}
          ],
          "edges": [
            {"from": "a", "to": "b", "when": {"pointer": "/status", "equals": "ok"}},
            {"from": "a", "to": "c", "when": {"pointer": "/code", "in": [1, 2]}},
            {"from": "b", "to": "c", "when": {"pointer": "/x", "exists": false}}
          ]
        }
        """

    @Test("reads every field of the file format")
    func readsFullExample() throws {
        let definition = try WorkflowDefinition(json: Self.fullExample)
        #expect(definition.id == "etl")
        #expect(definition.version == "1.2.0-beta.1")
        #expect(definition.strategy == .parallel(maxConcurrency: 4))
        #expect(definition.deadline == .seconds(30))
        #expect(definition.interceptors == [InterceptorReference("audit"), InterceptorReference("limit", config: ["rate": 5])])
        let retry = try #require(definition.nodes[0].retry)
        #expect(
            retry
                == RetryPolicy(
                    maximumAttempts: 5, initialInterval: .milliseconds(250), backoffCoefficient: 1.5,
                    maximumInterval: .seconds(4), jitter: 0.1, nonRetryableErrorTypes: ["ShellExit"]))
        #expect(definition.nodes[0].timeout == .milliseconds(2500))
        #expect(definition.edges[0].condition == .equals("/status", "ok"))
        #expect(definition.edges[1].condition == .oneOf("/code", [1, 2]))
        #expect(definition.edges[2].condition == EdgeCondition(pointer: "/x", .exists(false)))
        #expect(definition.entryNodeIDs == ["a"])
        #expect(definition.exitNodeIDs == ["c"])
    }

    @Test("JSON export round-trips exactly")
    func roundTrip() throws {
        let definition = try WorkflowDefinition(json: Self.fullExample)
        let exported = definition.jsonText()
        let reread = try WorkflowDefinition(json: exported)
        #expect(reread == definition)
        #expect(reread.jsonText() == exported)
    }

    @Test("a definition built in Swift round-trips through JSON")
    func builtInSwiftRoundTrips() throws {
        let definition = WorkflowDefinition(
            id: "built", version: "2.0.0",
            nodes: [
                NodeDefinition("x", kind: "echo", config: ["k": [1, 2.5, nil]], retry: RetryPolicy(maximumAttempts: 2), timeout: .milliseconds(1500)),
                NodeDefinition("y", kind: "echo", interceptors: ["audit"]),
            ],
            edges: [EdgeDefinition(from: "x", to: "y", when: .notEquals("/k/0", 3))],
            strategy: .dag(maxConcurrency: 2), deadline: .seconds(1))
        #expect(try WorkflowDefinition(json: definition.jsonText()) == definition)
    }

    @Test("type errors and unknown fields are all reported with their paths")
    func decodeIssues() throws {
        let text = """
            {"id": 5, "version": "1.0.0", "nodez": [], "nodes": [
              {"id": "a", "kind": "echo", "timeout": "soon", "extra": 1},
              {"id": "b", "kind": "echo", "retry": {"maximumAttempts": "3"}},
              7
            ], "edges": [{"from": "a", "to": "b", "when": {"pointer": "/x"}}], "strategy": "fastest"}
            """
        let error = try #require(throws: WorkflowValidationError.self) { try WorkflowDefinition(json: text) }
        let paths = error.issues.map(\.path)
        #expect(paths.contains("id"))
        #expect(paths.contains("nodez"))
        #expect(paths.contains("nodes[0].timeout"))
        #expect(paths.contains("nodes[0].extra"))
        #expect(paths.contains("nodes[1].retry.maximumAttempts"))
        #expect(paths.contains("nodes[2]"))
        #expect(paths.contains("edges[0].when"))
        #expect(paths.contains("strategy"))
    }

    @Test("malformed JSON names line and column")
    func malformed() throws {
        let error = try #require(throws: WorkflowValidationError.self) { try WorkflowDefinition(json: "{\n  \"id\": \"x\",,\n}") }
        #expect(error.issues.count == 1)
        #expect(error.issues[0].message.contains("line 2, column 13"))
    }

    @Test("semantic versions parse and order as semver.org says")
    func versions() {
        #expect(SemanticVersion("1.2.3") == SemanticVersion(1, 2, 3))
        #expect(SemanticVersion("1.2") == nil)
        #expect(SemanticVersion("01.2.3") == nil)
        #expect(SemanticVersion("1.2.3-") == nil)
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0"]
            .map { SemanticVersion($0)! }
        #expect(ordered == ordered.sorted())
        #expect(SemanticVersion("1.0.0+build.5")! == SemanticVersion("1.0.0")!)
    }
}

@Suite("The Swift builder", .timeLimit(.minutes(2)))
struct WorkflowBuilderTests {
    @Test("builds the same definition as the memberwise form, with loops, conditions and modifiers")
    func builds() throws {
        let includeAudit = true
        let built = WorkflowDefinition(id: "b", version: "1.1.0", strategy: .sequential) {
            NodeDefinition("fetch", kind: "shell", config: ["command": "date"]).retry(RetryPolicy(maximumAttempts: 2)).timeout(.seconds(3))
            for index in 0..<2 {
                NodeDefinition("part\(index)", kind: "echo")
                EdgeDefinition(from: "fetch", to: "part\(index)", when: .exists("/ok"))
            }
            if includeAudit {
                NodeDefinition("audit", kind: "echo").intercepted(by: "log")
            } else {
                NodeDefinition("skip", kind: "echo")
            }
            EdgeDefinition.chain("part1", "audit")
        }
        let expected = WorkflowDefinition(
            id: "b", version: "1.1.0",
            nodes: [
                NodeDefinition("fetch", kind: "shell", config: ["command": "date"], retry: RetryPolicy(maximumAttempts: 2), timeout: .seconds(3)),
                NodeDefinition("part0", kind: "echo"), NodeDefinition("part1", kind: "echo"), NodeDefinition("audit", kind: "echo", interceptors: ["log"]),
            ],
            edges: [
                EdgeDefinition(from: "fetch", to: "part0", when: .exists("/ok")), EdgeDefinition(from: "fetch", to: "part1", when: .exists("/ok")),
                EdgeDefinition(from: "part1", to: "audit"),
            ],
            strategy: .sequential)
        #expect(built == expected)
        #expect(try WorkflowDefinition(json: built.jsonText()) == built)
    }
}
