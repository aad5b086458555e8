import Foundation
import Testing

@testable import Troupe
@testable import TroupeTesting

@Suite("Stress driver and invariant checker", .timeLimit(.minutes(5)))
struct StressRunTests {
    /// A mixed workflow: synchronous and async closures, sleeps, chaos with retries, a timeout
    /// around hangs, and an inline child workflow; no shell nodes, so that it stays cheap under TSan.
    static let mixed = """
        {"id": "mixed", "version": "1.0.0", "nodes": [
          {"id": "start", "kind": "sync"},
          {"id": "fetch", "kind": "async", "interceptors": [
            {"name": "retry", "config": {"maximumAttempts": 3, "initialInterval": 0.0005, "nonRetryableErrorTypes": ["ChaosFatal"]}},
            {"name": "chaos", "config": {"seed": 1, "failureRate": 0.25, "latency": {"exponential": 0.0005}}}]},
          {"id": "guarded", "kind": "sleep", "config": {"seconds": 0}, "interceptors": [
            {"name": "timeout", "config": {"seconds": 0.02}},
            {"name": "chaos", "config": {"seed": 2, "hangRate": 0.05}}]},
          {"id": "flaky", "kind": "sync", "interceptors": [{"name": "chaos", "config": {"seed": 4, "failureRate": 0.05}}]},
          {"id": "child", "kind": "workflow", "config": {"definition": {"id": "inner", "version": "1.0.0", "nodes": [
            {"id": "x", "kind": "sync"},
            {"id": "y", "kind": "sleep", "config": {"seconds": 0}, "interceptors": [
              {"name": "chaos", "config": {"seed": 3, "failureRate": 0.02, "retryable": false}}]}],
            "edges": [{"from": "x", "to": "y"}]}}},
          {"id": "end", "kind": "sync"}],
         "edges": [{"from": "start", "to": "fetch"}, {"from": "start", "to": "guarded"}, {"from": "start", "to": "flaky"},
                   {"from": "fetch", "to": "child"}, {"from": "guarded", "to": "child"}, {"from": "child", "to": "end"},
                   {"from": "flaky", "to": "end"}]}
        """

    static func runtime(store: (any RunStore)? = nil) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(store: store)
        try runtime.register(kind: "sync") { call in .string(call.nodeID) }
        try runtime.register(kind: "async") { (call: NodeCall) async throws -> JSONValue in
            await Task.yield()
            return .integer(call.attempt)
        }
        return runtime
    }

    @Test("a few hundred mixed instances with cancels and pauses keep every invariant")
    func endToEnd() async throws {
        let runtime = try Self.runtime()
        let workflow = try runtime.prepare(try WorkflowDefinition(json: Self.mixed))
        let options = StressOptions(
            instances: 300, concurrency: 24, seed: 7, cancelFraction: 0.1, pauseFraction: 0.1, leakBound: 1 << 30)
        let report = try await StressRun(runtime: runtime, workflow: workflow, options: options).run()
        #expect(report.violationCount == 0, "\(report.violations) \(report.runViolations)")
        #expect(report.passed)
        #expect(report.instances == 300)
        #expect(report.statusCounts.values.reduce(0, +) == 300)
        #expect(report.latency.count == 300)
        #expect(report.latency.p50 <= report.latency.p90 && report.latency.p90 <= report.latency.p99 && report.latency.p99 <= report.latency.max)
        #expect(Set(report.nodeLatency.keys) == ["sync", "async", "sleep", "workflow"])
        // The seeded faults fired: failures were retried, and instances did not all complete.
        #expect(report.retries > 0)
        #expect((report.statusCounts[.completed] ?? 0) > 0)
        #expect((report.statusCounts[.failed] ?? 0) > 0)
        #expect((report.injected["cancel"] ?? 0) > 0)
        #expect((report.injected["pause"] ?? 0) > 0)
        #expect(report.memory.before > 0 && report.memory.peak >= report.memory.before)
        #expect(runtime.running.isEmpty)
    }

    /// Deadline hits find a runtime defect: a node that completes just as the deadline stops the
    /// instance is reported `completed` without its output (`NodeActor.stop()` answers a finished
    /// node with a report that has no output). It depends on timing, so it is a known intermittent
    /// issue; every other invariant must hold.
    @Test("instances that hit their deadline keep every other invariant")
    func deadlineHits() async throws {
        let runtime = try Self.runtime()
        let workflow = try runtime.prepare(try WorkflowDefinition(json: Self.mixed))
        let options = StressOptions(instances: 200, concurrency: 24, seed: 8, deadlineFraction: 0.5, deadlineHit: .microseconds(300))
        let report = try await StressRun(runtime: runtime, workflow: workflow, options: options).run()
        #expect((report.injected["deadline"] ?? 0) > 50)
        #expect((report.statusCounts[.timedOut] ?? 0) > 0)
        // A node completing as the deadline fires keeps its output (this run found it losing it).
        #expect(report.violationCount == 0, "\(report.violations)")
    }

    @Test("without driver faults, a seed replays the same outcome for every instance")
    func replay() async throws {
        func outcome(seed: UInt64) async throws -> ([InstanceStatus: Int], Int) {
            let runtime = try Self.runtime()
            let workflow = try runtime.prepare(
                try WorkflowDefinition(
                    json: Self.mixed.replacingOccurrences(of: "\"hangRate\": 0.05", with: "\"hangRate\": 0")
                        // No timeout either: on a loaded machine a 20 ms limit may end a call that did not hang.
                        .replacingOccurrences(of: "\"seconds\": 0.02", with: "\"seconds\": 600")))
            let report = try await StressRun(runtime: runtime, workflow: workflow, options: StressOptions(instances: 200, concurrency: 16, seed: seed)).run()
            #expect(report.violationCount == 0, "\(report.violations)")
            return (report.statusCounts, report.retries)
        }
        let first = try await outcome(seed: 11)
        let second = try await outcome(seed: 11)
        #expect(first.0 == second.0 && first.1 == second.1)
        #expect(first.1 > 0)
    }

    @Test("keeps K in flight for a duration, then drains")
    func forDuration() async throws {
        let runtime = try Self.runtime()
        let workflow = try runtime.prepare(try WorkflowDefinition(json: Self.mixed))
        let run = try StressRun(
            runtime: runtime, workflow: workflow, options: StressOptions(concurrency: 8, duration: .milliseconds(100), seed: 3))
        let report = await run.run()
        #expect(report.violationCount == 0, "\(report.violations)")
        #expect(report.instances >= 8)
        #expect(run.progress.done == report.instances && run.progress.inFlight == 0)
    }

    /// A real run's events and result, to break one piece at a time.
    static func recorded() async throws -> (WorkflowResult, [WorkflowEvent], WorkflowDefinition) {
        let runtime = Fixtures.runtime()
        let definition = Fixtures.chain(["a", "b"])
        let handle = try await runtime.start(definition)
        var events: [WorkflowEvent] = []
        for await event in handle.events { events.append(event) }
        return (try await handle.result, events, definition)
    }

    @Test("the checker accepts a real run and reports each broken invariant")
    func checkerFindsViolations() async throws {
        let (result, events, definition) = try await Self.recorded()
        #expect(StressInvariants.violations(of: result, events: events, definition: definition) == [])
        func problems(events: [WorkflowEvent] = events, result: WorkflowResult = result) -> String {
            StressInvariants.violations(of: result, events: events, definition: definition).joined(separator: "\n")
        }
        // A gap: one event dropped.
        var gap = events
        gap.remove(at: 2)
        #expect(problems(events: gap).contains("has sequence 3: the stream has a gap or is out of order"))
        // Out of order.
        var swapped = events
        swapped.swapAt(1, 2)
        #expect(problems(events: swapped).contains("the stream has a gap or is out of order"))
        // A second final event.
        var twice = events
        var extra = events[events.count - 1]
        extra.sequence = events.count
        twice.append(extra)
        #expect(problems(events: twice).contains("2 final events, expected exactly 1"))
        // No final event.
        #expect(problems(events: Array(events.dropLast())).contains("0 final events"))
        // An illegal node transition: completed with no start.
        var illegal = events.filter { if case .nodeStarted(let node, _) = $0.kind { node != "b" } else { true } }
        for index in illegal.indices { illegal[index].sequence = index }
        let text = problems(events: illegal)
        #expect(text.contains("node b: illegal transition pending → completed"))
        #expect(text.contains("node b: 1 attempts, 0 nodeStarted events"))
        // A completed node without its output.
        var missing = result
        missing.nodes["a"]?.output = nil
        #expect(problems(result: missing).contains("node a completed without an output"))
        // A status that disagrees with the final event, and a missing node report.
        var disagreeing = result
        disagreeing.status = .failed
        disagreeing.nodes["b"] = nil
        let disagreement = problems(result: disagreeing)
        #expect(disagreement.contains("does not match the result's status failed"))
        #expect(disagreement.contains("1 node reports for 2 nodes"))
        #expect(disagreement.contains("node b has no report"))
        // A result that is not terminal.
        var running = result
        running.status = .running
        #expect(problems(result: running).contains("is not terminal"))
        // Two pauses without a resume.
        var paused = Array(events.dropLast())
        for _ in 0..<2 {
            var pause = events[0]
            pause.kind = .paused
            pause.sequence = paused.count
            paused.append(pause)
        }
        var final = events[events.count - 1]
        final.sequence = paused.count
        paused.append(final)
        #expect(problems(events: paused).contains("paused twice without a resume"))
    }

    /// A workflow interceptor that drops node `a`'s output from the result it passes on.
    struct DroppingOutput: WorkflowInterceptor {
        func intercept(_ call: WorkflowCall, context: any WorkflowContext, next: any WorkflowHandler) async throws -> WorkflowResult {
            var result = try await next.handle(call, context: context)
            result.nodes["a"]?.output = nil
            return result
        }
    }

    @Test("the driver reports a broken instance with its index and seed, and the run fails")
    func driverReportsViolations() async throws {
        let runtime = Fixtures.runtime()
        runtime.use(DroppingOutput())
        let workflow = try runtime.prepare(Fixtures.chain(["a", "b"]))
        let options = StressOptions(instances: 20, concurrency: 4, seed: 5)
        let report = try await StressRun(runtime: runtime, workflow: workflow, options: options).run()
        #expect(!report.passed)
        #expect(report.violationCount == 20)
        #expect(report.violations.count == 10)
        let first = try #require(report.violations.first)
        #expect(first.message == "node a completed without an output")
        #expect(first.seed == StressFault.draw(for: first.index, options: options).seed)
        #expect(report.json["invariantViolations"]?["count"] == 20)
    }

    @Test("stress in a few lines, as a host's test suite does")
    func fewLines() async throws {
        let runtime = WorkflowRuntime()
        try runtime.register(kind: "price") { _ in .double(9.99) }
        let workflow = try runtime.prepare(
            try WorkflowDefinition(
                json:
                    #"{"id": "checkout", "version": "1.0.0", "nodes": [{"id": "p", "kind": "price"}, {"id": "pay", "kind": "sleep", "config": {"seconds": 0}}], "edges": [{"from": "p", "to": "pay"}]}"#
            ))
        let report = try await StressRun(
            runtime: runtime, workflow: workflow, options: StressOptions(instances: 200, concurrency: 16, cancelFraction: 0.05, pauseFraction: 0.05)
        ).run()
        #expect(report.violationCount == 0, "\(report.violations)")
    }
}
