import Foundation
import Testing
import Troupe

/// `troupe run --metrics`, `--trace` and `--verbose`, and `troupe explain`.
@Suite(.timeLimit(.minutes(1)))
struct ObservabilityCommandTests {
    /// Holds the fixtures and the files written.
    let scratch: Scratch

    /// Gives each test a fresh directory.
    init() throws { scratch = try Scratch() }

    /// A fan-out of two cached shell calls and a sleep, the first called twice with the same input.
    private func workflow() throws -> String {
        try scratch.write(
            "observed.json",
            """
            {"id": "observed", "version": "1.0.0",
             "nodes": [{"id": "first", "kind": "shell", "config": {"script": "echo '{\\"n\\": 1}'"},
                        "interceptors": [{"name": "cache", "config": {"ttl": 60}}]},
                       {"id": "flaky", "kind": "shell", "retry": {"maximumAttempts": 2, "initialInterval": 0},
                        "config": {"script": "if [ -e \\"$MARK\\" ]; then echo ok; else touch \\"$MARK\\"; exit 1; fi"}},
                       {"id": "nap", "kind": "sleep", "config": {"seconds": 0}}],
             "edges": [{"from": "first", "to": "flaky"}, {"from": "first", "to": "nap"}]}
            """)
    }

    @Test func metricsFileIsValidPrometheusText() async throws {
        let metrics = scratch.directory.appendingPathComponent("run.prom").path
        let mark = scratch.directory.appendingPathComponent("mark").path
        let outcome = try await Invocation.run(["run", try workflow(), "--metrics", metrics], scratch: scratch, environment: ["MARK": mark])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let parsed = try PrometheusTextParser(try String(contentsOfFile: metrics, encoding: .utf8))
        #expect(parsed.value("troupe_runs_started_total", ["workflow": "observed"]) == 1)
        #expect(parsed.value("troupe_runs_finished_total", ["workflow": "observed", "status": "completed"]) == 1)
        #expect(parsed.value("troupe_runs_in_flight", ["workflow": "observed"]) == 0)
        #expect(parsed.value("troupe_cache_misses_total", ["workflow": "observed", "node": "first"]) == 1)
        #expect(parsed.value("troupe_node_attempts_total", ["kind": "shell", "outcome": "failed"]) == 1)
        #expect(parsed.value("troupe_node_attempts_total", ["kind": "shell", "outcome": "completed"]) == 2)
        #expect(parsed.value("troupe_node_duration_seconds_count", ["workflow": "observed", "kind": "sleep", "status": "completed"]) == 1)
        // Nothing is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    @Test func traceFileIsAChromeTimelineAndShellNodesSeeTheirSpan() async throws {
        let trace = scratch.directory.appendingPathComponent("run.trace.json").path
        let mark = scratch.directory.appendingPathComponent("mark").path
        let file = try scratch.write(
            "span.json",
            """
            {"id": "span", "version": "1.0.0",
             "nodes": [{"id": "show", "kind": "shell", "config": {"script": "printf %s \\"$TRACEPARENT\\""}}]}
            """)
        let outcome = try await Invocation.run(["run", file, "--trace", trace], scratch: scratch, environment: ["MARK": mark])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try JSONParser.parse(try String(contentsOfFile: trace, encoding: .utf8))
        let events = json["traceEvents"]?.arrayValue ?? []
        let span = try #require(events.first { $0["ph"] == "X" && $0["name"] == "show" })
        #expect(span["args"]?["traceparent"] == outcome.json?["nodes"]?["show"]?["output"])
        #expect(span["args"]?["status"] == "completed")
        #expect(span["args"]?["kind"] == "shell")
        #expect(events.contains { $0["ph"] == "M" && $0["name"] == "process_name" })
    }

    @Test func unwritableMetricsFileFailsTheRunAndSaysWhy() async throws {
        let metrics = scratch.directory.appendingPathComponent("missing/run.prom").path
        let mark = scratch.directory.appendingPathComponent("mark").path
        let outcome = try await Invocation.run(["run", try workflow(), "--metrics", metrics], scratch: scratch, environment: ["MARK": mark])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("cannot write the metrics to \(metrics): No such file or directory"), "\(outcome.standardError)")
        #expect(outcome.json?["status"] == "completed")
    }

    /// The README's example runs on a fresh machine, writes both files, and shows every interceptor at work.
    @Test func resilientAPIExampleWritesMetricsAndTrace() async throws {
        let metrics = scratch.directory.appendingPathComponent("resilient.prom").path
        let trace = scratch.directory.appendingPathComponent("resilient.trace.json").path
        let outcome = try await Invocation.run(
            ["run", "Examples/resilient-api.json", "--metrics", metrics, "--trace", trace], scratch: scratch,
            environment: ["TMPDIR": scratch.directory.path])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.json?["nodes"]?["summary"]?["output"] == ["priced": 5, "total": 129.5])
        #expect(outcome.json?["nodes"]?["price-3"]?["attempts"] == 2)
        let parsed = try PrometheusTextParser(try String(contentsOfFile: metrics, encoding: .utf8))
        #expect(parsed.value("troupe_node_attempts_total", ["kind": "shell", "outcome": "failed"]) == 2)
        #expect(parsed.value("troupe_validation_warnings_total", ["workflow": "resilient-api", "node": "price-5", "phase": "output"]) == 1)
        let waits = parsed.families["troupe_limiter_waits_total"]?.samples.map(\.value).reduce(0, +) ?? 0
        #expect(waits >= 3, "7 calls in the first second against a limit of 4")
        let events = try JSONParser.parse(try String(contentsOfFile: trace, encoding: .utf8))["traceEvents"]?.arrayValue ?? []
        #expect(events.filter { $0["ph"] == "X" }.count == 11)
        #expect(events.contains { $0["ph"] == "i" && $0["name"] == "retry" })
        #expect(events.contains { $0["ph"] == "i" && $0["name"] == "validate warning" })
        // The service removed its directory; only the test's own files are left.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path).allSatisfy { !$0.hasPrefix("troupe-resilient-api") })
    }

    /// `explain` lists each node's chain outermost first with sources, configs and settings, and the inline decision.
    @Test func explainShowsChainsSourcesAndInlineReasons() async throws {
        let outcome = try await Invocation.run(["explain", "Examples/resilient-api.json"], scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let text = outcome.standardOutput
        let price = try #require(text.components(separatedBy: "\n\n").first { $0.hasPrefix("node price-1:") })
        let chain = price.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.dropFirst(2).first?.isNumber == true }.map { $0.split(separator: " ")[1] }
        #expect(chain == ["retry", "rate-limit", "circuit-breaker", "cache", "validate"])
        #expect(price.contains("1. retry [workflow, built-in]"))
        #expect(price.contains("runs in a task of its own beside other runnable nodes: the shell executor may suspend"))
        #expect(price.contains("settings: {\"backend\":\"MemoryCacheBackend\",\"key\":\"call\",\"ttl\":300}"), "\(price)")

        let json = try await Invocation.run(["explain", "Examples/resilient-api.json", "--json"], scratch: scratch)
        let nodes = try JSONParser.parse(json.standardOutput).arrayValue ?? []
        #expect(nodes.count == 8)
        #expect(nodes.first?["interceptors"]?.arrayValue?.map { $0["name"] } == ["retry", "rate-limit", "circuit-breaker"])

        let invalid = try scratch.write(
            "invalid.json",
            #"{"id": "x", "version": "1.0.0", "nodes": [{"id": "a", "kind": "sleep", "interceptors": [{"name": "cache", "config": {"ttl": -1}}]}]}"#)
        let refused = try await Invocation.run(["explain", invalid], scratch: scratch)
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("nodes[0].interceptors[0].config.ttl"))
    }

    /// `explain --plugin` names a plugin's interceptor by name@version and file.
    @Test func explainNamesPluginSources() async throws {
        let plugin = try TroupeExecutable.located().deletingLastPathComponent().appendingPathComponent("libTroupeAuditLog.so").path
        let audit = scratch.directory.appendingPathComponent("audit.jsonl").path
        let file = try scratch.write(
            "audited.json",
            """
            {"id": "audited", "version": "1.0.0", "interceptors": [{"name": "audit", "config": {"path": "\(audit)"}}],
             "nodes": [{"id": "hello", "kind": "sleep", "config": {"seconds": 0}}]}
            """)
        let outcome = try await Invocation.run(["explain", file, "--plugin", plugin], scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("1. audit [workflow, plugin audit-log@"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains(plugin))
    }

    /// `run --verbose` shows each interceptor's entry and exit per node call, and the plugin diagnostics.
    @Test func verboseShowsInterceptorCrossings() async throws {
        let file = try scratch.write(
            "verbose.json",
            """
            {"id": "verbose", "version": "1.0.0",
             "nodes": [{"id": "boom", "kind": "shell", "config": {"script": "exit 4"}, "retry": {"maximumAttempts": 2, "initialInterval": 0},
                        "interceptors": [{"name": "validate", "config": {"output": {"type": "string"}}}]}]}
            """)
        let outcome = try await Invocation.run(["run", file, "--verbose"], scratch: scratch)
        #expect(outcome.status == 1)
        let lines = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("→") || $0.hasPrefix("←") }.map(String.init)
        // The retry calls the executor again, not the interceptors outside it: each is crossed once.
        #expect(lines.count == 4, "\(outcome.standardError)")
        #expect(lines.first == "→ boom #1 validate (1/2)")
        #expect(lines.dropFirst().first == "→ boom #1 retry (2/2)")
        #expect(lines.dropFirst(2).first?.hasPrefix("← boom #1 retry (2/2) threw in ") == true)
        #expect(lines.last?.hasPrefix("← boom #1 validate (1/2) threw in ") == true)
        #expect(lines.last?.contains("ShellExit") == true)
    }
}
