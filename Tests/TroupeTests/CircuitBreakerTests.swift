import Synchronization
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

@Suite("circuit-breaker interceptor", .timeLimit(.minutes(2)))
struct CircuitBreakerTests {
    let clock = VirtualClock()
    let context = RecordingNodeContext()
    let settings = CircuitBreakerSettings(failureRate: 50, window: 4, minimumCalls: 4, openFor: .seconds(30), halfOpenCalls: 2)

    /// A handler that fails while `failing` is set and counts the calls that reached it.
    final class Backend: Sendable {
        let failing = Atomic<Bool>(false)
        let calls = Atomic<Int>(0)
        var handler: ClosureHandler {
            ClosureHandler { [self] _ in
                calls.wrappingAdd(1, ordering: .relaxed)
                if failing.load(ordering: .relaxed) { throw ExecutionError(type: "Boom", message: "down") }
                return "ok"
            }
        }
    }

    func call(_ breaker: CircuitBreakerInterceptor, _ backend: Backend) async -> Result<JSONValue, ExecutionError> {
        do { return .success(try await breaker.intercept(.test(), context: context, next: backend.handler)) } catch {
            return .failure(error as? ExecutionError ?? ExecutionError(type: "Other", message: "\(error)"))
        }
    }

    func failingCalls(_ count: Int, _ breaker: CircuitBreakerInterceptor, _ backend: Backend) async {
        backend.failing.store(true, ordering: .relaxed)
        for _ in 0..<count { _ = await call(breaker, backend) }
    }

    @Test("closed → open at the failure rate after the minimum calls; open fails fast and says when probes resume")
    func opens() async throws {
        let breaker = CircuitBreakerInterceptor(settings: settings, clock: clock)
        let backend = Backend()
        _ = await call(breaker, backend)
        await failingCalls(1, breaker, backend)
        backend.failing.store(false, ordering: .relaxed)
        _ = await call(breaker, backend)
        #expect(breaker.phase(key: "n") == .closed)  // 1 of 3: under the minimum
        await failingCalls(1, breaker, backend)  // 2 of 4 = 50 %
        #expect(breaker.phase(key: "n") == .open(until: .seconds(30)))
        let before = backend.calls.load(ordering: .relaxed)
        clock.advance(by: .seconds(29))
        guard case .failure(let refused) = await call(breaker, backend) else {
            Issue.record("an open circuit let a call through")
            return
        }
        #expect(refused.type == "CircuitOpen")
        #expect(refused.details["retryAfter"] == 1.0)
        #expect(refused.details["state"] == "open")
        #expect(backend.calls.load(ordering: .relaxed) == before)
        #expect(breaker.neverSuspends)
    }

    @Test("only the last window calls count: old failures slide out")
    func slidingWindow() async throws {
        let breaker = CircuitBreakerInterceptor(settings: settings, clock: clock)
        let backend = Backend()
        await failingCalls(1, breaker, backend)
        backend.failing.store(false, ordering: .relaxed)
        for _ in 0..<4 { _ = await call(breaker, backend) }  // the failure has left the window of 4
        await failingCalls(1, breaker, backend)  // 1 of 4
        #expect(breaker.phase(key: "n") == .closed)
    }

    @Test("open → half-open admits only the probes; probes that pass close it, probes that fail reopen it")
    func halfOpen() async throws {
        let breaker = CircuitBreakerInterceptor(settings: settings, clock: clock)
        let backend = Backend()
        await failingCalls(4, breaker, backend)
        clock.advance(by: .seconds(30))
        // Two probes held inside; a third call is refused while they are out.
        let gate = Gate()
        let held = ClosureHandler { _ in
            await gate.pass()
            return "probe"
        }
        let probes = (0..<2).map { _ in Task { [context] in try await breaker.intercept(.test(), context: context, next: held) } }
        await gate.waitForArrivals(2)
        #expect(breaker.phase(key: "n") == .halfOpen)
        let refused = await #expect(throws: ExecutionError.self) { try await breaker.intercept(.test(), context: context, next: held) }
        #expect(refused?.details["state"] == "half-open")
        gate.openAll()
        for probe in probes { _ = try await probe.value }
        #expect(breaker.phase(key: "n") == .closed)
        // And again: open, then one of two probes fails (50 %): open again from the time it ended.
        await failingCalls(4, breaker, backend)
        clock.advance(by: .seconds(30))
        backend.failing.store(false, ordering: .relaxed)
        _ = await call(breaker, backend)
        await failingCalls(1, breaker, backend)
        #expect(breaker.phase(key: "n") == .open(until: .seconds(90)))
    }

    @Test("many concurrent callers half-open: exactly halfOpenCalls reach the node, the rest fail fast")
    func concurrentProbes() async throws {
        let breaker = CircuitBreakerInterceptor(
            settings: CircuitBreakerSettings(failureRate: 50, window: 2, minimumCalls: 2, openFor: .seconds(5), halfOpenCalls: 3), clock: clock)
        let backend = Backend()
        await failingCalls(2, breaker, backend)
        clock.advance(by: .seconds(5))
        let gate = Gate()
        let gauge = ConcurrencyGauge()
        let held = ClosureHandler { _ in
            gauge.enter()
            await gate.pass()
            gauge.leave()
            return "probe"
        }
        let refusals = LockedValue(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { [context] in
                    do { _ = try await breaker.intercept(.test(), context: context, next: held) } catch { refusals.withLock { $0 += 1 } }
                }
            }
            await gate.waitForArrivals(3)
            await yieldUntil { refusals.withLock { $0 } == 97 }
            gate.openAll()
        }
        #expect(gauge.maximum == 3)
        #expect(refusals.withLock { $0 } == 97)
        #expect(breaker.phase(key: "n") == .closed)
    }

    @Test("a call admitted before the circuit opened does not count after; a cancelled call is no outcome")
    func staleAndCancelled() async throws {
        let breaker = CircuitBreakerInterceptor(settings: settings, clock: clock)
        let backend = Backend()
        let gate = Gate()
        let slow = ClosureHandler { _ in
            await gate.pass()
            throw ExecutionError(type: "Boom", message: "late")
        }
        let late = Task { [context] in try await breaker.intercept(.test(), context: context, next: slow) }
        await gate.waitForArrivals(1)
        await failingCalls(4, breaker, backend)
        clock.advance(by: .seconds(30))
        backend.failing.store(false, ordering: .relaxed)
        _ = await call(breaker, backend)  // probe 1 of 2 passes
        gate.openAll()
        await #expect(throws: ExecutionError.self) { try await late.value }  // from the closed generation: dropped
        let cancelled = Task { [context] in try await breaker.intercept(.test(), context: context, next: ClosureHandler { _ in throw CancellationError() }) }
        _ = try? await cancelled.value  // the probe slot comes back
        _ = await call(breaker, backend)  // probe 2 of 2 passes
        #expect(breaker.phase(key: "n") == .closed)
    }

    @Test("keys: by node kind, each kind its own circuit")
    func keys() async throws {
        let breaker = CircuitBreakerInterceptor(settings: settings, key: .kind, clock: clock)
        let failing = ClosureHandler { _ in throw ExecutionError(type: "Boom", message: "down") }
        for _ in 0..<4 { _ = try? await breaker.intercept(.test(kind: "a"), context: context, next: failing) }
        #expect(breaker.phase(key: "a") != .closed)
        #expect(try await breaker.intercept(.test(kind: "b"), context: context, next: ClosureHandler { _ in "b" }) == "b")
    }

    @Test("a retry outside the breaker does not retry CircuitOpen by default, and does when its list leaves it out")
    func retryStopsAtOpenCircuit() async throws {
        let breaker = CircuitBreakerInterceptor(settings: settings, clock: clock)
        let backend = Backend()
        await failingCalls(4, breaker, backend)
        let chain = NodeInterceptorLink(interceptor: breaker, next: backend.handler)
        let retry = RetryInterceptor(policy: RetryPolicy(maximumAttempts: 5, initialInterval: .zero), clock: clock)
        let error = await #expect(throws: ExecutionError.self) { try await retry.intercept(.test(), context: context, next: chain) }
        #expect(error?.type == "CircuitOpen")
        // The breaker's notes (its opening, each refusal) aside, nothing was reported: no retry.
        let retries = { context.recorded.filter { if case .note = $0 { false } else { true } } }
        #expect(retries().isEmpty)
        let retryingAll = RetryInterceptor(policy: RetryPolicy(maximumAttempts: 3, initialInterval: .zero, nonRetryableErrorTypes: []), clock: clock)
        await #expect(throws: ExecutionError.self) { try await retryingAll.intercept(.test(), context: context, next: chain) }
        #expect(retries().count == 2)
    }

    @Test("config problems are named by their place; used by name from a workflow file")
    func configAndFile() async throws {
        var definition = Fixtures.chain(["a"])
        definition.nodes[0].interceptors = [
            InterceptorReference(
                "circuit-breaker", config: ["failureRate": 0, "window": 5, "minimumCalls": 6, "openFor": "soon", "halfOpenCalls": 0, "key": "tenant", "x": 1])
        ]
        let error = #expect(throws: WorkflowValidationError.self) { try Fixtures.runtime().prepare(definition) }
        let place = "nodes[0].interceptors[0].config."
        #expect(
            error?.issues.map(\.path).sorted() == ["failureRate", "halfOpenCalls", "key", "minimumCalls", "openFor", "x"].map { place + $0 },
            "\(String(describing: error))")
        let runtime = Fixtures.runtime(clock: clock)
        let prepared = try runtime.prepare(
            try WorkflowDefinition(
                json: """
                    {"id": "guarded", "version": "1.0.0", "nodes": [{"id": "a", "kind": "fail",
                      "interceptors": [{"name": "circuit-breaker", "config": {"window": 2, "minimumCalls": 2, "openFor": 60}}]}]}
                    """))
        var types: [String?] = []
        for _ in 0..<3 { types.append(try await runtime.start(prepared).result.nodes["a"]?.errorType) }
        #expect(types == ["Boom", "Boom", "CircuitOpen"])
    }
}
