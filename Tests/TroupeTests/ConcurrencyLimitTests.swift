import Synchronization
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

@Suite("concurrency-limit interceptor", .timeLimit(.minutes(2)))
struct ConcurrencyLimitTests {
    let context = RecordingNodeContext()

    /// A handler that records each call's node id as it enters, then waits at `gate`.
    func holding(_ journal: Journal, at gate: Gate) -> ClosureHandler {
        ClosureHandler { call in
            journal.record(call.nodeID)
            await gate.pass()
            return .string(call.nodeID)
        }
    }

    @Test("reject mode refuses a call over the limit while the others run, and admits again after")
    func rejectMode() async throws {
        let bulkhead = ConcurrencyLimitInterceptor(limit: 2, mode: .reject)
        let gate = Gate()
        let next = holding(Journal(), at: gate)
        let running = (0..<2).map { index in Task { [context] in try await bulkhead.intercept(.test("r\(index)"), context: context, next: next) } }
        await gate.waitForArrivals(2)
        let refused = await #expect(throws: ExecutionError.self) { try await bulkhead.intercept(.test("x"), context: context, next: next) }
        #expect(refused?.type == "ConcurrencyLimitExceeded")
        #expect(refused?.details["limit"] == 2)
        gate.openAll()
        for task in running { _ = try await task.value }
        #expect(try await bulkhead.intercept(.test("y"), context: context, next: next) == "y")
        #expect(bulkhead.neverSuspends)
    }

    @Test("wait mode lets waiters in in arrival order; a cancelled waiter leaves the line")
    func fairOrderAndCancellation() async throws {
        let bulkhead = ConcurrencyLimitInterceptor(limit: 1, key: .kind)
        let gate = Gate()
        let journal = Journal()
        let next = holding(journal, at: gate)
        var tasks: [String: Task<JSONValue, any Error>] = [:]
        tasks["a"] = Task { [context] in try await bulkhead.intercept(.test("a"), context: context, next: next) }
        await gate.waitForArrivals(1)
        for (position, node) in ["b", "c", "d", "e"].enumerated() {
            tasks[node] = Task { [context] in try await bulkhead.intercept(.test(node), context: context, next: next) }
            await yieldUntil { bulkhead.waiting(key: "k") == position + 1 }
        }
        tasks["b"]?.cancel()
        tasks["d"]?.cancel()
        await #expect(throws: CancellationError.self) { try await tasks["b"]?.value }
        await #expect(throws: CancellationError.self) { try await tasks["d"]?.value }
        #expect(bulkhead.waiting(key: "k") == 2)
        gate.openAll()
        for node in ["a", "c", "e"] { _ = try await tasks[node]?.value }
        #expect(journal.recorded == ["a", "c", "e"])
        #expect(!bulkhead.neverSuspends)
    }

    @Test("under many concurrent callers, some cancelled, no more than limit ever run at once and no permit leaks", arguments: [1, 4])
    func neverOverLimit(limit: Int) async throws {
        let bulkhead = ConcurrencyLimitInterceptor(limit: limit)
        let gauge = ConcurrencyGauge()
        let completed = Atomic<Int>(0)
        let next = ClosureHandler { _ in
            gauge.enter()
            for _ in 0..<3 { await Task.yield() }
            gauge.leave()
            completed.wrappingAdd(1, ordering: .relaxed)
            return .null
        }
        let callers = 400
        await withTaskGroup(of: Void.self) { group in
            var tasks: [Task<JSONValue, any Error>] = []
            for index in 0..<callers {
                tasks.append(Task { [context] in try await bulkhead.intercept(.test("n\(index)"), context: context, next: next) })
            }
            for (index, task) in tasks.enumerated() where index % 5 == 0 { task.cancel() }
            for task in tasks { group.addTask { _ = try? await task.value } }
        }
        #expect(gauge.maximum <= limit)
        #expect(completed.load(ordering: .relaxed) >= callers * 4 / 5)
        #expect(bulkhead.waiting() == 0)
        // Every permit came back: `limit` calls can be inside at once again.
        let gate = Gate()
        let held = holding(Journal(), at: gate)
        let again = (0..<limit).map { index in Task { [context] in try await bulkhead.intercept(.test("h\(index)"), context: context, next: held) } }
        await gate.waitForArrivals(limit)
        gate.openAll()
        for task in again { _ = try await task.value }
    }

    @Test("config problems are named by their place; used by name from a workflow file")
    func configAndFile() async throws {
        var definition = Fixtures.chain(["a"])
        definition.nodes[0].interceptors = [InterceptorReference("concurrency-limit", config: ["mode": 1, "key": ["metadata": ""], "window": 2])]
        let error = #expect(throws: WorkflowValidationError.self) { try Fixtures.runtime().prepare(definition) }
        #expect(
            error?.issues.map(\.path).sorted() == [
                "nodes[0].interceptors[0].config.key", "nodes[0].interceptors[0].config.limit",
                "nodes[0].interceptors[0].config.mode", "nodes[0].interceptors[0].config.window",
            ], "\(String(describing: error))")
        let runtime = Fixtures.runtime()
        let gauge = ConcurrencyGauge()
        try runtime.register(kind: "gauged") { call in
            gauge.enter()
            for _ in 0..<3 { await Task.yield() }
            gauge.leave()
            return .string(call.nodeID)
        }
        var diamond = Fixtures.diamond(branches: 12, kind: "gauged")
        diamond.interceptors = [InterceptorReference("concurrency-limit", config: ["limit": 2, "key": "kind"])]
        let result = try await runtime.start(diamond).result
        #expect(result.status == .completed)
        #expect(gauge.maximum <= 2)
    }
}
