import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// Retries counted wherever they come from, and a retry's wait that something else ends.
@Suite("Attempts and retries, wherever the retry comes from", .timeLimit(.minutes(1)))
struct AttemptAccountingTests {
    /// A runtime whose `flaky` kind fails `failures` times, then returns "ok".
    static func flakyRuntime(_ clock: VirtualClock, failures: Int) throws -> (WorkflowRuntime, Counter) {
        let runtime = Fixtures.runtime(clock: clock)
        let calls = Counter()
        try runtime.register(kind: "flaky") { _ in
            if calls.increment() <= failures { throw ExecutionError(type: "Transient", message: "not yet") }
            return "ok"
        }
        return (runtime, calls)
    }

    /// An interceptor that retries by itself, reporting nothing.
    struct SilentRetry: NodeInterceptor {
        let attempts: Int
        func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
            var call = call
            while true {
                do { return try await next.handle(call, context: context) } catch {
                    guard call.attempt < attempts else { throw error }
                    call.attempt += 1
                }
            }
        }
    }

    @Test("a retry named in `interceptors` is counted, with its events")
    func namedRetry() async throws {
        let fixture = VirtualClockFixture()
        let (runtime, calls) = try Self.flakyRuntime(fixture.clock, failures: 2)
        var definition = Fixtures.chain(["x"], kind: "flaky")
        definition.interceptors = [InterceptorReference("retry", config: ["maximumAttempts": 5, "initialInterval": 1])]
        let handle = try await runtime.start(definition)
        await fixture.advance(through: 2, by: .seconds(10))
        let result = try await handle.result
        #expect(result.nodes["x"]?.status == .completed)
        #expect(result.nodes["x"]?.attempts == 3)
        #expect(calls.count == 3)
        let labels = await handle.eventKinds().map(\.label)
        #expect(
            labels == [
                "instanceStarted", "nodeStarted x 1", "nodeRetrying x 1", "nodeStarted x 2", "nodeRetrying x 2", "nodeStarted x 3",
                "nodeCompleted x", "completed",
            ])
    }

    @Test("a retry added with runtime.use, and one that reports nothing, are counted too")
    func hostRetries() async throws {
        let fixture = VirtualClockFixture()
        let (runtime, _) = try Self.flakyRuntime(fixture.clock, failures: 2)
        runtime.use(SilentRetry(attempts: 4))
        let result = try await runtime.start(Fixtures.chain(["x"], kind: "flaky")).result
        #expect(result.nodes["x"]?.attempts == 3)
        let handle = try await runtime.start(Fixtures.chain(["y"], kind: "fail"))
        let failed = try await handle.result
        #expect(failed.nodes["y"]?.attempts == 4)
        #expect(failed.nodes["y"]?.errorType == "Boom")
        let labels = await handle.eventKinds().map(\.label)
        #expect(labels.filter { $0.hasPrefix("nodeRetrying") } == ["nodeRetrying y 1", "nodeRetrying y 2", "nodeRetrying y 3"])
    }

    @Test("a child workflow's retries are not reported on its parent's node")
    func childRetriesStayInTheChild() async throws {
        let fixture = VirtualClockFixture()
        let (runtime, _) = try Self.flakyRuntime(fixture.clock, failures: 2)
        let child: JSONValue = [
            "id": "child", "version": "1.0.0",
            "nodes": [["id": "inner", "kind": "flaky", "retry": ["maximumAttempts": 5, "initialInterval": 1]]],
        ]
        let definition = WorkflowDefinition(
            id: "parent",
            nodes: [
                NodeDefinition("outer", kind: "workflow", config: ["definition": child], retry: RetryPolicy(maximumAttempts: 2, initialInterval: .seconds(1)))
            ])
        let handle = try await runtime.start(definition)
        await fixture.advance(through: 2, by: .seconds(10))
        let result = try await handle.result
        #expect(result.status == .completed)
        #expect(result.nodes["outer"]?.attempts == 1, "the parent's node ran once; the child retried inside")
    }

    @Test("a timeout named in `interceptors` that fires during a retry back-off ends the node timed out, not the process")
    func timeoutDuringBackoff() async throws {
        let fixture = VirtualClockFixture()
        let (runtime, _) = try Self.flakyRuntime(fixture.clock, failures: 100)
        let definition = try WorkflowDefinition(
            json: """
                {"id":"etl","version":"1.0.0","interceptors":[{"name":"timeout","config":{"seconds":1}}],
                 "nodes":[{"id":"extract","kind":"flaky","retry":{"maximumAttempts":3,"initialInterval":5}}]}
                """)
        let handle = try await runtime.start(definition)
        await fixture.clock.waitForSleepers(2)  // the timeout and the back-off
        fixture.clock.advance(by: .seconds(1))
        let result = try await handle.result
        #expect(result.status == .failed)
        #expect(result.nodes["extract"]?.status == .timedOut)
        #expect(result.nodes["extract"]?.errorType == "NodeTimeoutError")
    }

    @Test("a host interceptor that answers a fallback while the retry waits completes the node")
    func fallbackDuringBackoff() async throws {
        struct Fallback: NodeInterceptor {
            func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
                do { return try await next.handle(call, context: context) } catch { return "fallback" }
            }
        }
        let fixture = VirtualClockFixture()
        let (runtime, _) = try Self.flakyRuntime(fixture.clock, failures: 100)
        runtime.use(Fallback())
        let definition = try WorkflowDefinition(
            json: """
                {"id":"etl","version":"1.0.0","interceptors":[{"name":"timeout","config":{"seconds":1}}],
                 "nodes":[{"id":"extract","kind":"flaky","retry":{"maximumAttempts":3,"initialInterval":5}}]}
                """)
        let handle = try await runtime.start(definition)
        await fixture.clock.waitForSleepers(2)
        fixture.clock.advance(by: .seconds(1))
        let result = try await handle.result
        #expect(result.status == .completed)
        #expect(result.nodes["extract"]?.output == "fallback")
        let labels = await handle.eventKinds().map(\.label)
        #expect(labels.suffix(3) == ["nodeRetrying extract 1", "nodeCompleted extract", "completed"])
    }

    @Test("an interceptor that keeps the context and reports after its node ended changes nothing")
    func lateReports() async throws {
        final class Keeper: NodeInterceptor, @unchecked Sendable {
            let kept = LockedValue<(any NodeContext)?>(nil)
            func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
                kept.withLock { $0 = context }
                await context.retrying(afterAttempt: 1, delay: .seconds(1), error: ExecutionError(type: "Odd", message: "twice"))
                await context.retrying(afterAttempt: 1, delay: .seconds(1), error: ExecutionError(type: "Odd", message: "twice"))
                return try await next.handle(call, context: context)
            }
        }
        let runtime = Fixtures.runtime()
        let keeper = Keeper()
        runtime.use(keeper)
        let handle = try await runtime.start(Fixtures.chain(["x"]))
        let result = try await handle.result
        #expect(result.status == .completed)
        let context = try #require(keeper.kept.withLock { $0 })
        await context.retrying(afterAttempt: 1, delay: .seconds(1), error: ExecutionError(type: "Late", message: "after the end"))
        await context.attemptStarting(NodeCall(instanceID: handle.id, workflowID: "chain", nodeID: "x", kind: "echo", attempt: 9))
        // A retry reported before any attempt reached the executor is no retry.
        #expect(await handle.eventKinds().map(\.label) == ["instanceStarted", "nodeStarted x 1", "nodeCompleted x", "completed"])
        #expect(result.nodes["x"]?.attempts == 1)
    }
}
