import Synchronization
import Testing
import TroupeTesting

@testable import Troupe

@Suite("Interceptors", .timeLimit(.minutes(2)))
struct InterceptorTests {
    /// A workflow interceptor that records entry and exit and stamps metadata for every node.
    struct Stamping: WorkflowInterceptor {
        let trace: RecordingInterceptor.Trace

        func intercept(_ call: WorkflowCall, context: any WorkflowContext, next: any WorkflowHandler) async throws -> WorkflowResult {
            var call = call
            call.metadata["tenant"] = "acme"
            trace.record("workflow>")
            defer { trace.record("workflow<") }
            return try await next.handle(call, context: context)
        }
    }

    @Test("order is runtime, workflow, node (outermost first), around each node, inside the workflow interceptors")
    func order() async throws {
        let runtime = Fixtures.runtime()
        let trace = RecordingInterceptor.Trace()
        try runtime.register(kind: "meta") { call in .string(call.metadata["tenant"] ?? "none") }
        runtime.use(Stamping(trace: trace))
        runtime.use(RecordingInterceptor("r1", trace: trace))
        runtime.use(RecordingInterceptor("r2", trace: trace))
        for name in ["w", "n"] {
            try runtime.registry.register(interceptor: name) { config in
                RecordingInterceptor(name + (config["suffix"]?.stringValue ?? ""), trace: trace)
            }
        }
        var definition = Fixtures.chain(["a", "b"], kind: "meta")
        definition.interceptors = ["w"]
        definition.nodes[1].interceptors = [InterceptorReference("n", config: ["suffix": "1"]), "n"]
        let result = try await runtime.start(definition).result
        #expect(result.status == .completed)
        #expect(result.nodes["a"]?.output == "acme")
        #expect(
            trace.recorded == [
                "workflow>",
                "r1>a", "r2>a", "w>a", "w<a", "r2<a", "r1<a",
                "r1>b", "r2>b", "w>b", "n1>b", "n>b", "n<b", "n1<b", "w<b", "r2<b", "r1<b",
                "workflow<",
            ])
    }

    @Test("an interceptor can short-circuit, change the call, and replace the output")
    func shortCircuitAndRewrite() async throws {
        struct Cache: NodeInterceptor {
            func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
                if call.nodeID == "cached" { return "from cache" }
                var call = call
                call.metadata["seen"] = "yes"
                let output = try await next.handle(call, context: context)
                return ["wrapped": output]
            }
        }
        let runtime = Fixtures.runtime()
        let executed = Journal()
        try runtime.register(kind: "work") { call in
            executed.record(call.nodeID)
            return .string(call.metadata["seen"] ?? "no")
        }
        runtime.use(Cache())
        let definition = WorkflowDefinition(id: "s", nodes: [NodeDefinition("cached", kind: "work"), NodeDefinition("fresh", kind: "work")])
        let result = try await runtime.start(definition).result
        #expect(result.nodes["cached"]?.output == "from cache")
        #expect(result.nodes["fresh"]?.output == ["wrapped": "yes"])
        #expect(executed.recorded == ["fresh"])
    }

    @Test("a workflow interceptor that throws fails the instance")
    func workflowInterceptorThrows() async throws {
        struct Refuse: WorkflowInterceptor {
            func intercept(_ call: WorkflowCall, context: any WorkflowContext, next: any WorkflowHandler) async throws -> WorkflowResult {
                throw ExecutionError(type: "Denied", message: "not today")
            }
        }
        let runtime = Fixtures.runtime()
        runtime.use(Refuse())
        let result = try await runtime.start(Fixtures.chain(["a"])).result
        #expect(result.status == .failed)
        #expect(result.error == "Denied: not today")
        #expect(result.nodes["a"]?.status == .cancelled)
    }

    @Test("retry waits by exponential backoff capped at the maximum interval, on the injected clock")
    func retryBackoff() async throws {
        let fixture = VirtualClockFixture()
        let runtime = Fixtures.runtime(clock: fixture.clock)
        let attempts = Counter()
        try runtime.register(kind: "flaky") { _ in
            if attempts.increment() < 5 { throw ExecutionError(type: "Transient", message: "again") }
            return "done"
        }
        let policy = RetryPolicy(maximumAttempts: 6, initialInterval: .seconds(1), backoffCoefficient: 3, maximumInterval: .seconds(20))
        let definition = WorkflowDefinition(id: "r", nodes: [NodeDefinition("x", kind: "flaky", retry: policy)])
        let handle = try await runtime.start(definition)
        await fixture.advance(through: 4, by: .seconds(20))
        let result = try await handle.result
        #expect(result.status == .completed)
        #expect(result.nodes["x"]?.attempts == 5)
        #expect(fixture.clock.sleeps == [.seconds(1), .seconds(3), .seconds(9), .seconds(20)])
    }

    @Test("retry stops at maximumAttempts and on non-retryable error types")
    func retryLimits() async throws {
        let fixture = VirtualClockFixture()
        let runtime = Fixtures.runtime(clock: fixture.clock)
        let calls = Journal()
        try runtime.register(kind: "broken") { call in
            calls.record(call.nodeID)
            throw ExecutionError(type: call.nodeID == "fatal" ? "Fatal" : "Transient", message: "attempt \(call.attempt)")
        }
        let policy = RetryPolicy(maximumAttempts: 3, initialInterval: .seconds(1), nonRetryableErrorTypes: ["Fatal"])
        let definition = WorkflowDefinition(
            id: "r",
            nodes: [
                NodeDefinition("transient", kind: "broken", retry: policy), NodeDefinition("fatal", kind: "broken", retry: policy),
            ], strategy: .sequential)
        let handle = try await runtime.start(definition)
        await fixture.advance(through: 2, by: .seconds(5))
        let result = try await handle.result
        #expect(result.nodes["transient"]?.status == .failed)
        #expect(result.nodes["transient"]?.attempts == 3)
        #expect(result.nodes["transient"]?.error == "Transient: attempt 3")
        #expect(result.nodes["fatal"]?.attempts == 1)
        #expect(calls.recorded == ["transient", "transient", "transient", "fatal"])
    }

    @Test("jitter keeps each wait within its fraction of the interval")
    func jitter() {
        let interceptor = RetryInterceptor(policy: RetryPolicy(initialInterval: .seconds(10), jitter: 0.2))
        let waits = (0..<200).map { _ in interceptor.delay(afterAttempt: 1) }
        #expect(waits.allSatisfy { $0 >= .seconds(8) && $0 <= .seconds(12) })
        #expect(Set(waits).count > 1)
    }

    @Test("a node timeout cancels the node's work and reports it timed out; retries then apply")
    func timeout() async throws {
        let fixture = VirtualClockFixture()
        let runtime = Fixtures.runtime(clock: fixture.clock)
        let cancelled = Gate()
        try runtime.register(kind: "hang") { _ in
            do {
                try await Task.sleep(for: .seconds(3600))
            } catch {
                // An arrival at an open gate: the test can wait for the count of cancelled attempts,
                // which the timeout no longer awaits.
                await cancelled.pass()
                throw error
            }
            return nil
        }
        cancelled.openAll()
        let definition = WorkflowDefinition(
            id: "t",
            nodes: [
                NodeDefinition("once", kind: "hang", timeout: .seconds(2))
            ])
        let handle = try await runtime.start(definition)
        await fixture.clock.waitForSleeps(count: 1)
        fixture.clock.advance(by: .seconds(2))
        let result = try await handle.result
        #expect(result.status == .failed)
        #expect(result.nodes["once"]?.status == .timedOut)
        await cancelled.waitForArrivals(1)
        #expect(await handle.eventKinds().map(\.label).contains("nodeTimedOut once"))

        let retried = WorkflowDefinition(
            id: "t2",
            nodes: [
                NodeDefinition("again", kind: "hang", retry: RetryPolicy(maximumAttempts: 2, initialInterval: .seconds(1)), timeout: .seconds(2))
            ])
        let second = try await runtime.start(retried)
        await fixture.advance(through: 3, by: .seconds(2))
        let secondResult = try await second.result
        #expect(secondResult.nodes["again"]?.status == .timedOut)
        #expect(secondResult.nodes["again"]?.attempts == 2)
        await cancelled.waitForArrivals(3)
        #expect(cancelled.arrivalCount == 3, "each timed-out attempt's work was cancelled, once")
    }

    @Test("the retry and timeout interceptors can be named in a workflow with their configuration")
    func namedBuiltIns() async throws {
        let fixture = VirtualClockFixture()
        let runtime = Fixtures.runtime(clock: fixture.clock)
        let attempts = Counter()
        try runtime.register(kind: "flaky") { _ in
            if attempts.increment() < 2 { throw ExecutionError(type: "Transient", message: "again") }
            return "ok"
        }
        var definition = Fixtures.chain(["x"], kind: "flaky")
        definition.nodes[0].interceptors = [
            InterceptorReference("retry", config: ["maximumAttempts": 2, "initialInterval": 0.5]),
            InterceptorReference("timeout", config: ["seconds": 10]),
        ]
        let handle = try await runtime.start(definition)
        await fixture.clock.waitForSleeps(count: 2)
        fixture.clock.advance(by: .milliseconds(500))
        #expect(try await handle.result.nodes["x"]?.output == "ok")
        #expect(fixture.clock.sleeps.contains(.milliseconds(500)))
    }
}
