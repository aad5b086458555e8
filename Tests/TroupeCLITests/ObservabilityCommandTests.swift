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
}
