import Synchronization
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

@Suite("rate-limit interceptor", .timeLimit(.minutes(2)))
struct RateLimitTests {
    let clock = VirtualClock()
    let context = RecordingNodeContext()

    /// A handler that records each admitted call's node id and the virtual time it got in.
    func recording(_ journal: Journal) -> ClosureHandler {
        ClosureHandler { [clock] call in
            journal.record("\(call.nodeID)@\(clock.now.offset)")
            return .string(call.nodeID)
        }
    }

    func retryAfter(_ error: ExecutionError?) -> Double? { error?.details["retryAfter"]?.doubleValue }

    @Test("reject mode admits limit calls per sliding window and says when a slot frees")
    func rejectMode() async throws {
        let limiter = RateLimitInterceptor(limit: 2, window: .seconds(10), mode: .reject, clock: clock)
        let next = ClosureHandler { _ in .null }
        _ = try await limiter.intercept(.test(), context: context, next: next)
        clock.advance(by: .seconds(4))
        _ = try await limiter.intercept(.test(), context: context, next: next)
        let full = await #expect(throws: ExecutionError.self) { try await limiter.intercept(.test(), context: context, next: next) }
        #expect(full?.type == "RateLimitExceeded")
        #expect(retryAfter(full) == 6)
        #expect(full?.message.contains("a slot frees in 6.0 s") == true, "\(String(describing: full))")
        // At 10 s the first admission leaves the window; the one at 4 s stays until 14 s.
        clock.advance(by: .seconds(6))
        _ = try await limiter.intercept(.test(), context: context, next: next)
        let again = await #expect(throws: ExecutionError.self) { try await limiter.intercept(.test(), context: context, next: next) }
        #expect(retryAfter(again) == 4)
        #expect(limiter.neverSuspends)
    }

    @Test("keys count separately: by metadata field and by JSON Pointer into the call")
    func keys() async throws {
        let next = ClosureHandler { _ in .null }
        let byTenant = RateLimitInterceptor(limit: 1, window: .seconds(10), key: .metadata("tenant"), mode: .reject, clock: clock)
        _ = try await byTenant.intercept(.test(metadata: ["tenant": "a"]), context: context, next: next)
        _ = try await byTenant.intercept(.test(metadata: ["tenant": "b"]), context: context, next: next)
        await #expect(throws: ExecutionError.self) { try await byTenant.intercept(.test(metadata: ["tenant": "a"]), context: context, next: next) }
        let byCustomer = RateLimitInterceptor(
            limit: 1, window: .seconds(10), key: .pointer(try JSONPointer("/input/customer")), mode: .reject, clock: clock)
        _ = try await byCustomer.intercept(.test(input: ["customer": "x"]), context: context, next: next)
        _ = try await byCustomer.intercept(.test(input: ["customer": "y"]), context: context, next: next)
        let refused = await #expect(throws: ExecutionError.self) {
            try await byCustomer.intercept(.test(input: ["customer": "x", "other": 1]), context: context, next: next)
        }
        #expect(refused?.details["key"] == "\"x\"")
    }

    @Test("wait mode admits waiters in arrival order, one window apart")
    func fairOrder() async throws {
        let limiter = RateLimitInterceptor(limit: 1, window: .seconds(10), clock: clock)
        let journal = Journal()
        let next = recording(journal)
        _ = try await limiter.intercept(.test("a"), context: context, next: next)
        var tasks: [Task<JSONValue, any Error>] = []
        for (position, node) in ["b", "c", "d"].enumerated() {
            tasks.append(Task { [context] in try await limiter.intercept(.test(node), context: context, next: next) })
            await yieldUntil { limiter.waiting() == position + 1 }
        }
        for round in 1...3 {
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(10))
            // The admitted waiter records the time it runs at: the next advance waits for it, so
            // that a slow thread cannot make it run after the clock moved on again.
            await yieldUntil { journal.recorded.count > round }
        }
        for task in tasks { _ = try await task.value }
        #expect(journal.recorded == ["a@0.0 seconds", "b@10.0 seconds", "c@20.0 seconds", "d@30.0 seconds"])
        #expect(!limiter.neverSuspends)
    }

    @Test("a cancelled waiter leaves the line, first or not, and the next one moves up")
    func cancellation() async throws {
        let limiter = RateLimitInterceptor(limit: 1, window: .seconds(10), clock: clock)
        let journal = Journal()
        let next = recording(journal)
        _ = try await limiter.intercept(.test("a"), context: context, next: next)
        var tasks: [String: Task<JSONValue, any Error>] = [:]
        for (position, node) in ["b", "c", "d", "e"].enumerated() {
            tasks[node] = Task { [context] in try await limiter.intercept(.test(node), context: context, next: next) }
            await yieldUntil { limiter.waiting() == position + 1 }
        }
        await clock.waitForSleepers(1)
        tasks["c"]?.cancel()  // parked in the middle
        await #expect(throws: CancellationError.self) { try await tasks["c"]?.value }
        tasks["b"]?.cancel()  // first in line, asleep on the clock
        await #expect(throws: CancellationError.self) { try await tasks["b"]?.value }
        #expect(limiter.waiting() == 2)
        // d moved up: it sleeps until a's admission leaves the window.
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(10))
        // d records the time it runs at: time moves on only once it has (see `fairOrder`).
        await yieldUntil { journal.recorded.count == 2 }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(10))
        _ = try await tasks["d"]?.value
        _ = try await tasks["e"]?.value
        #expect(journal.recorded == ["a@0.0 seconds", "d@10.0 seconds", "e@20.0 seconds"])
        #expect(limiter.waiting() == 0)
    }

    @Test("under many concurrent callers no window ever holds more than limit admissions", arguments: [1, 3, 7])
    func neverOverLimit(limit: Int) async throws {
        let window = Duration.seconds(1)
        let limiter = RateLimitInterceptor(limit: limit, window: window, clock: clock)
        let admissions = LockedValue<[Duration]>([])
        let next = ClosureHandler { [clock] _ in
            admissions.withLock { $0.append(clock.now.offset) }
            return .null
        }
        let callers = 150
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<callers {
                group.addTask { [context] in _ = try await limiter.intercept(.test("n\(index)"), context: context, next: next) }
            }
            // Each window frees every slot at once; the first `limit` got in at 0 without waiting.
            // Time moves only once this window's callers have recorded their admission time.
            for round in 0..<((callers - limit + limit - 1) / limit) {
                await yieldUntil { admissions.withLock { $0.count } == limit * (round + 1) }
                await clock.waitForSleepers(1)
                clock.advance(by: window)
            }
            try await group.waitForAll()
        }
        let times = admissions.withLock { $0 }.sorted()
        #expect(times.count == callers)
        for index in times.indices.dropLast(limit) {
            #expect(times[index + limit] - times[index] >= window, "admissions \(index)...\(index + limit) within one window")
        }
    }

    @Test("counts below 1 given from Swift count as 1 instead of trapping")
    func clampedFromSwift() async throws {
        let next = ClosureHandler { _ in .null }
        let limiter = RateLimitInterceptor(limit: 0, window: .seconds(1), mode: .reject, clock: clock)
        _ = try await limiter.intercept(.test(), context: context, next: next)
        await #expect(throws: ExecutionError.self) { try await limiter.intercept(.test(), context: context, next: next) }
        let bulkhead = ConcurrencyLimitInterceptor(limit: -3, mode: .reject)
        #expect(bulkhead.limit == 1)
        let breaker = CircuitBreakerInterceptor(settings: CircuitBreakerSettings(window: 0, minimumCalls: 5, halfOpenCalls: 0), clock: clock)
        #expect(breaker.settings == CircuitBreakerSettings(window: 1, minimumCalls: 1, halfOpenCalls: 1))
        await #expect(throws: ExecutionError.self) {
            try await breaker.intercept(.test(), context: context, next: ClosureHandler { _ in throw ExecutionError(type: "Boom", message: "") })
        }
        #expect(breaker.phase(key: "n") != .closed)
        #expect(MemoryCacheBackend(maxEntries: 0).maxEntries == 1)
    }

    @Test("config problems are named by their place, unknown fields included")
    func configErrors() throws {
        var definition = Fixtures.chain(["a"])
        definition.nodes[0].interceptors = [
            InterceptorReference(
                "rate-limit", config: ["limit": 0, "window": -1, "mode": "later", "key": ["pointer": "/nowhere"], "burst": 2])
        ]
        definition.interceptors = [InterceptorReference("rate-limit", config: ["window": 1e12])]
        let error = #expect(throws: WorkflowValidationError.self) { try Fixtures.runtime().prepare(definition) }
        let paths = error?.issues.map(\.path) ?? []
        #expect(
            paths.sorted() == [
                "interceptors[0].config.limit", "interceptors[0].config.window",
                "nodes[0].interceptors[0].config.burst", "nodes[0].interceptors[0].config.key",
                "nodes[0].interceptors[0].config.limit", "nodes[0].interceptors[0].config.mode",
                "nodes[0].interceptors[0].config.window",
            ], "\(String(describing: error))")
        #expect(error?.issues.allSatisfy { $0.message.hasPrefix("interceptor \"rate-limit\": ") } == true)
    }

    @Test("used by name from a workflow file, one limiter for every instance of the workflow")
    func fromWorkflowFile() async throws {
        let runtime = Fixtures.runtime(clock: clock)
        let definition = try WorkflowDefinition(
            json: """
                {"id": "limited", "version": "1.0.0", "nodes": [{"id": "a", "kind": "echo",
                  "interceptors": [{"name": "rate-limit", "config": {"limit": 1, "window": 60, "mode": "reject"}}]}]}
                """)
        let prepared = try runtime.prepare(definition)
        let first = try await runtime.start(prepared).result
        let second = try await runtime.start(prepared).result
        #expect(first.status == .completed)
        #expect(second.nodes["a"]?.errorType == "RateLimitExceeded")
    }
}
