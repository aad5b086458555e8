import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

@Suite("Traces: the Chrome Trace Event timeline, spans, and traceparent propagation", .timeLimit(.minutes(2)))
struct TracingTests {
    private func events(_ trace: JSONValue) -> [JSONValue] { trace["traceEvents"]?.arrayValue ?? [] }

    private func completes(_ trace: JSONValue, name: String) -> [JSONValue] {
        events(trace).filter { $0["ph"] == "X" && $0["name"]?.stringValue == name }
    }

    @Test("one process per instance, one lane per node, an X event per attempt, instants for retries and skips")
    func timeline() async throws {
        let runtime = Fixtures.runtime()
        try runtime.register(kind: "flaky") { call in
            if call.attempt == 1 { throw ExecutionError(type: "Transient", message: "try again") }
            return "ok"
        }
        let recorder = runtime.recordTrace()
        let definition = try WorkflowDefinition(
            json: """
                {"id": "traced", "version": "1.0.0", "nodes": [
                  {"id": "a", "kind": "echo"},
                  {"id": "b", "kind": "flaky", "retry": {"maximumAttempts": 2, "initialInterval": 0}},
                  {"id": "c", "kind": "fail"}, {"id": "d", "kind": "echo"}],
                 "edges": [{"from": "a", "to": "b"}, {"from": "a", "to": "c"}, {"from": "c", "to": "d"}]}
                """)
        let result = try await runtime.start(definition).result
        let trace = recorder.chromeTraceJSON()
        let pid = JSONValue.integer(Int(result.instanceID.rawValue))
        #expect(events(trace).filter { $0["ph"] == "M" && $0["name"] == "process_name" }.map { $0["pid"] } == [pid])
        let instance = completes(trace, name: "workflow traced")
        #expect(instance.count == 1)
        #expect(instance.first?["tid"] == 0)
        #expect(instance.first?["args"]?["status"] == "failed")

        let attempts = completes(trace, name: "b")
        #expect(attempts.count == 2)
        #expect(Set(attempts.map { $0["tid"] }).count == 1)
        #expect(attempts.map { $0["args"]?["status"] } == ["failed", "completed"])
        #expect(attempts.map { $0["args"]?["attempt"] } == ["1", "2"])
        #expect(attempts.first?["args"]?["kind"] == "flaky")
        #expect(attempts.first?["args"]?["error"]?.stringValue?.contains("try again") == true)
        if attempts.count == 2, let start0 = attempts[0]["ts"]?.doubleValue, let duration0 = attempts[0]["dur"]?.doubleValue,
            let start1 = attempts[1]["ts"]?.doubleValue
        {
            #expect(start0 + duration0 <= start1, "one node's attempts overlap")
        }
        let lanes = Set(["a", "b", "c"].compactMap { completes(trace, name: $0).first?["tid"] })
        #expect(lanes.count == 3 && !lanes.contains(0))
        #expect(completes(trace, name: "c").first?["args"]?["error"]?.stringValue?.contains("c failed") == true)

        let instants = events(trace).filter { $0["ph"] == "i" }
        #expect(instants.contains { $0["name"] == "retry" && $0["tid"] == attempts.first?["tid"] })
        let skip = instants.first { $0["name"] == "skipped" }
        #expect(skip != nil && skip?["tid"] != 0 && !lanes.contains(skip?["tid"] ?? 0))
        let thread = events(trace).first { $0["ph"] == "M" && $0["name"] == "thread_name" && $0["tid"] == skip?["tid"] }
        #expect(thread?["args"]?["name"] == "d")
        // It is JSON a trace viewer reads: the writer's text parses back to the same value.
        #expect(try JSONParser.parse(JSONWriter.write(trace, pretty: false)) == trace)
    }

    @Test("a traceparent given in the metadata is continued: the instance's span is its child, a shell node sees its attempt's span as TRACEPARENT")
    func shellSeesItsSpan() async throws {
        let runtime = Fixtures.runtime()
        let recorder = runtime.recordTrace()
        let given = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let definition = try WorkflowDefinition(
            json: """
                {"id": "env", "version": "1.0.0", "nodes": [{"id": "show", "kind": "shell", "config": {"script": "printf %s \\"$TRACEPARENT\\""}}]}
                """)
        let result = try await runtime.start(definition, metadata: ["traceparent": given]).result
        let seen = try #require(result.nodes["show"]?.output?.stringValue)
        let trace = recorder.chromeTraceJSON()
        let instance = try #require(completes(trace, name: "workflow env").first)
        let span = try #require(completes(trace, name: "show").first)
        #expect(instance["args"]?["parent"]?.stringValue == given)
        #expect(span["args"]?["parent"] == instance["args"]?["traceparent"])
        #expect(span["args"]?["traceparent"]?.stringValue == seen)
        #expect(TraceContext(traceparent: seen)?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test("a child workflow continues its parent's trace below the calling node's span")
    func childWorkflowContinues() async throws {
        let runtime = Fixtures.runtime()
        let recorder = runtime.recordTrace()
        let definition = try WorkflowDefinition(
            json: """
                {"id": "parent", "version": "1.0.0", "nodes": [{"id": "call", "kind": "workflow", "config": {"definition":
                  {"id": "child", "version": "1.0.0", "nodes": [{"id": "inner", "kind": "echo"}]}}}]}
                """)
        let result = try await runtime.start(definition).result
        #expect(result.status == .completed)
        let trace = recorder.chromeTraceJSON()
        let call = try #require(completes(trace, name: "call").first)
        let child = try #require(completes(trace, name: "workflow child").first)
        let parent = try #require(completes(trace, name: "workflow parent").first)
        #expect(child["args"]?["parent"] == call["args"]?["traceparent"])
        let traceIDs = [parent, call, child].compactMap { $0["args"]?["traceparent"]?.stringValue.flatMap(TraceContext.init(traceparent:))?.traceID }
        #expect(traceIDs.count == 3 && Set(traceIDs).count == 1)
        #expect(Set([parent["pid"], child["pid"]]).count == 2)
    }

    @Test("many instances at once: each is its own process with its own lanes, every attempt recorded once, none overlapping on a lane")
    func concurrentInstances() async throws {
        let runtime = Fixtures.runtime()
        let metrics = runtime.metrics
        let recorder = runtime.recordTrace()
        let prepared = try runtime.prepare(Fixtures.diamond(branches: 3, kind: "echo"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<60 { group.addTask { _ = try await runtime.start(prepared).result } }
            try await group.waitForAll()
        }
        let spans = events(recorder.chromeTraceJSON()).filter { $0["ph"] == "X" }
        let byProcess = Dictionary(grouping: spans) { $0["pid"]?.integerValue ?? -1 }
        #expect(byProcess.count == 60)
        #expect(byProcess.values.allSatisfy { $0.count == 6 })
        for (_, spans) in byProcess {
            let lanes = Dictionary(grouping: spans) { $0["tid"]?.integerValue ?? -1 }
            #expect(lanes.count == 6)
            #expect(lanes.values.allSatisfy { $0.count == 1 })
        }
        let parsed = try PrometheusTextParser(metrics.prometheusText())
        #expect(parsed.value("troupe_runs_finished_total", ["workflow": "diamond", "status": "completed"]) == 60)
        #expect(parsed.value("troupe_node_attempts_total", ["kind": "echo", "outcome": "completed"]) == 300)
    }

    @Test("pauses, resumes and cancels are instant events: on the instance's lane, and a running node's cancel on its own")
    func pauseResumeCancel() async throws {
        let clock = VirtualClock()
        let runtime = Fixtures.runtime(clock: clock)
        let gate = Gate()
        try runtime.register(kind: "gated") { _ in
            await gate.pass()
            return "done"
        }
        let recorder = runtime.recordTrace()
        let handle = try await runtime.start(
            WorkflowDefinition(
                id: "stopped", nodes: [NodeDefinition("a", kind: "gated"), NodeDefinition("b", kind: "sleep", config: ["seconds": 100])],
                edges: [EdgeDefinition(from: "a", to: "b")]))
        await gate.waitForArrivals(1)
        #expect(await handle.pause())
        #expect(await handle.resume())
        gate.openAll()
        await clock.waitForSleepers(1)
        handle.cancel()
        #expect(try await handle.result.status == .cancelled)
        let instants = events(recorder.chromeTraceJSON()).filter { $0["ph"] == "i" }
        #expect(instants.filter { $0["tid"] == 0 }.compactMap { $0["name"]?.stringValue }.starts(with: ["paused", "resumed"]) == true)
        let b = try #require(completes(recorder.chromeTraceJSON(), name: "b").first)
        #expect(b["args"]?["status"] == "cancelled")
        #expect(instants.contains { $0["name"] == "cancelled" && $0["tid"] == b["tid"] })
    }

    @Test(
        "traceparent parsing: the W3C form is read, anything else is not",
        arguments: [
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", true),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", true),
            ("00-00000000000000000000000000000000-00f067aa0ba902b7-01", false),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false),
            ("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false),
            ("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false),
            ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", false),
            ("garbage", false), ("", false),
        ])
    func parsing(text: String, valid: Bool) {
        let context = TraceContext(traceparent: text)
        #expect((context != nil) == valid)
        if let context { #expect(context.traceparent == text) }
    }
}
