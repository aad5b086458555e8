import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

@Suite("Explain: each node's composed chain, its sources and settings, and the inline decision", .timeLimit(.minutes(2)))
struct ExplainTests {
    private let definition: WorkflowDefinition

    init() throws {
        definition = try WorkflowDefinition(
            json: """
                {"id": "explained", "version": "1.0.0",
                 "interceptors": [{"name": "rate-limit", "config": {"limit": 5, "window": 1}}],
                 "nodes": [
                   {"id": "a", "kind": "echo", "retry": {"maximumAttempts": 2}, "timeout": 5,
                    "interceptors": [{"name": "cache", "config": {"maxEntries": 10}}, {"name": "validate", "config": {"strict": false, "output": {"type": "string"}}}]},
                   {"id": "b", "kind": "echo"}]}
                """)
    }

    @Test("outermost first: runtime, workflow, node, retry, timeout; with sources, configs and settings in force")
    func chain() throws {
        let runtime = Fixtures.runtime()
        runtime.use(RecordingInterceptor("outer", trace: RecordingInterceptor.Trace()))
        let nodes = try runtime.explain(definition)
        #expect(nodes.map(\.node) == ["a", "b"])
        let a = try #require(nodes.first)
        #expect(a.interceptors.map(\.name) == ["RecordingInterceptor", "rate-limit", "cache", "validate", "retry", "timeout"])
        #expect(a.interceptors.map(\.placement) == ["runtime", "workflow", "node", "node", "node.retry", "node.timeout"])
        #expect(a.interceptors.map(\.source) == [.host, .builtIn, .builtIn, .builtIn, .builtIn, .builtIn])
        #expect(a.interceptors[1].resolved == ["limit": 5, "window": 1, "key": "global", "mode": "wait"])
        #expect(a.interceptors[2].config == ["maxEntries": 10])
        #expect(a.interceptors[2].resolved?["ttl"] == .null)
        #expect(a.interceptors[5].resolved == ["seconds": 5])
        #expect(a.executorSource == .host)
        #expect(!a.runsInline)
        #expect(a.inlineReason.contains("rate-limit") && a.inlineReason.contains("retry") && !a.inlineReason.contains("validate"))
    }

    @Test("a node whose executor and interceptors never suspend runs inline, and says so")
    func inline() throws {
        let runtime = Fixtures.runtime()
        let nodes = try runtime.explain(
            try WorkflowDefinition(
                json: """
                    {"id": "quick", "version": "1.0.0", "nodes": [{"id": "q", "kind": "echo", "interceptors": [{"name": "validate", "config": {"output": {"type": "string"}}}]},
                      {"id": "s", "kind": "sleep", "config": {"seconds": 0}}]}
                    """))
        #expect(nodes.first?.runsInline == true)
        #expect(nodes.first?.inlineReason == "the executor and every interceptor never suspend")
        #expect(nodes.last?.runsInline == false)
        #expect(nodes.last?.inlineReason == "the sleep executor may suspend")
    }

    @Test("the explained order is the order calls cross the interceptors, entry outermost first and exit innermost first")
    func explainedOrderIsTheRealOne() async throws {
        let runtime = Fixtures.runtime()
        let crossings = LockedValue<[InterceptorCrossing]>([])
        runtime.reportInterceptorCrossings { crossing in crossings.withLock { $0.append(crossing) } }
        let explained = try runtime.explain(definition)
        let result = try await runtime.start(definition).result
        #expect(result.status == .completed)
        let seen = crossings.withLock { $0 }.filter { $0.nodeID == "a" }
        let names = explained[0].interceptors.map(\.name)
        #expect(seen.filter { $0.direction == .entry }.map(\.interceptor) == names)
        #expect(seen.filter { $0.direction == .exit }.map(\.interceptor) == names.reversed())
        #expect(seen.allSatisfy { $0.chainLength == names.count && $0.error == nil })
        // Reporting does not change what runs inline.
        #expect(try runtime.explain(definition).map(\.runsInline) == explained.map(\.runsInline))
    }

    @Test("an invalid workflow throws what prepare throws")
    func invalid() throws {
        let broken = try WorkflowDefinition(
            json: """
                {"id": "bad", "version": "1.0.0", "nodes": [{"id": "x", "kind": "echo", "interceptors": [{"name": "cache", "config": {"ttl": -1}}]}]}
                """)
        let error = #expect(throws: WorkflowValidationError.self) { try Fixtures.runtime().explain(broken) }
        #expect(error?.issues.map(\.path) == ["nodes[0].interceptors[0].config.ttl"])
    }
}
