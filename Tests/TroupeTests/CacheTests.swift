import Synchronization
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

@Suite("cache interceptor", .timeLimit(.minutes(2)))
struct CacheTests {
    let clock = VirtualClock()
    let context = RecordingNodeContext()

    /// A node that counts its runs and outputs its input's `id` with the run number.
    final class Counting: Sendable {
        let runs = LockedValue(0)
        var handler: ClosureHandler {
            ClosureHandler { [self] call in
                let run = runs.withLock {
                    $0 += 1
                    return $0
                }
                return ["id": call.input["id"] ?? .null, "run": .integer(run)]
            }
        }
        var count: Int { runs.withLock { $0 } }
    }

    func cache(ttl: Duration? = nil, maxEntries: Int = 100, key: CacheKey = .call) -> CacheInterceptor {
        CacheInterceptor(backend: MemoryCacheBackend(maxEntries: maxEntries, clock: clock), ttl: ttl, key: key)
    }

    @Test("an identical call is answered from the cache; a different input runs the node")
    func hits() async throws {
        let cache = cache()
        let node = Counting()
        let first = try await cache.intercept(.test(input: ["id": 1]), context: context, next: node.handler)
        let again = try await cache.intercept(.test(input: ["id": 1]), context: context, next: node.handler)
        let other = try await cache.intercept(.test(input: ["id": 2]), context: context, next: node.handler)
        #expect(first == again)
        #expect(other["run"] == 2)
        #expect(node.count == 2)
        _ = try await cache.intercept(.test("other", input: ["id": 1]), context: context, next: node.handler)
        #expect(node.count == 3)  // another node id is another key
    }

    @Test("the key is the SHA-256 of the call's canonical JSON, keys sorted")
    func canonicalKey() {
        let call = NodeCall(
            instanceID: InstanceID(rawValue: 9), workflowID: "w", nodeID: "n", kind: "k", config: ["z": 1, "a": [true, nil]], input: ["b": 2, "a": 1],
            upstream: ["up": "x"], metadata: ["ignored": "yes"])
        let text = #"{"config":{"a":[true,null],"z":1},"input":{"a":1,"b":2},"kind":"k","nodeId":"n","upstream":{"up":"x"},"workflowId":"w"}"#
        #expect(CacheKey.call.digest(of: call) == SHA256.hash(Array(text.utf8)))
    }

    @Test("a JSON Pointer key ignores the rest of the call")
    func pointerKey() async throws {
        let cache = cache(key: .pointer(try JSONPointer("/input/id")))
        let node = Counting()
        _ = try await cache.intercept(.test(input: ["id": 1, "noise": 1]), context: context, next: node.handler)
        _ = try await cache.intercept(.test(input: ["id": 1, "noise": 2]), context: context, next: node.handler)
        #expect(node.count == 1)
    }

    @Test("entries expire after the ttl on the clock")
    func ttl() async throws {
        let cache = cache(ttl: .seconds(10))
        let node = Counting()
        _ = try await cache.intercept(.test(), context: context, next: node.handler)
        clock.advance(by: .seconds(9))
        _ = try await cache.intercept(.test(), context: context, next: node.handler)
        #expect(node.count == 1)
        clock.advance(by: .seconds(1))
        _ = try await cache.intercept(.test(), context: context, next: node.handler)
        #expect(node.count == 2)
    }

    @Test("a full cache evicts the least recently used entry")
    func leastRecentlyUsed() async {
        let backend = MemoryCacheBackend(maxEntries: 2, clock: clock)
        await backend.store("A", forKey: "a", timeToLive: nil)
        await backend.store("B", forKey: "b", timeToLive: nil)
        #expect(await backend.result(forKey: "a") == "A")  // a is now newer than b
        await backend.store("C", forKey: "c", timeToLive: nil)
        #expect(await backend.result(forKey: "b") == nil)
        #expect(await backend.result(forKey: "a") == "A")
        #expect(await backend.result(forKey: "c") == "C")
        await backend.store("A2", forKey: "a", timeToLive: nil)  // replacing refreshes too
        await backend.store("D", forKey: "d", timeToLive: nil)
        #expect(await backend.result(forKey: "c") == nil)
        #expect(await backend.result(forKey: "a") == "A2")
        #expect(backend.count == 2)
    }

    /// Starts `count` identical calls whose node waits at `gate`: the first (the leader, running
    /// the node) and then the rest, and returns once all of those wait on the leader.
    func concurrentCalls(
        _ count: Int, on cache: CacheInterceptor, next: ClosureHandler, gate: Gate
    ) async -> [Task<JSONValue, any Error>] {
        let start = { Task { [context] in try await cache.intercept(.test(), context: context, next: next) } }
        let leader = start()
        await gate.waitForArrivals(1)
        let waiters = (1..<count).map { _ in start() }
        let digest = cache.key.digest(of: .test())
        await yieldUntil { cache.waiting(digest: digest) == count - 1 }
        return [leader] + waiters
    }

    @Test("single flight: identical concurrent calls run the node exactly once and share its result")
    func singleFlight() async throws {
        let cache = cache()
        let node = Counting()
        let gate = Gate()
        let held = ClosureHandler { call in
            await gate.pass()
            return try await node.handler.handle(call, context: RecordingNodeContext())
        }
        let tasks = await concurrentCalls(64, on: cache, next: held, gate: gate)
        gate.openAll()
        var outputs: [JSONValue] = []
        for task in tasks { outputs.append(try await task.value) }
        #expect(node.count == 1)
        #expect(Set(outputs.map(\.description)).count == 1)
    }

    @Test("when the one running call fails, every waiter gets its error and nothing is cached")
    func sharedFailure() async throws {
        let cache = cache()
        let gate = Gate()
        let runs = LockedValue(0)
        let failing = ClosureHandler { _ in
            runs.withLock { $0 += 1 }
            await gate.pass()
            throw ExecutionError(type: "Boom", message: "down")
        }
        let tasks = await concurrentCalls(20, on: cache, next: failing, gate: gate)
        gate.openAll()
        for task in tasks {
            await #expect(throws: ExecutionError(type: "Boom", message: "down")) { try await task.value }
        }
        #expect(runs.withLock { $0 } == 1)
        let node = Counting()
        _ = try await cache.intercept(.test(), context: context, next: node.handler)
        #expect(node.count == 1)
    }

    @Test("a cancelled leader hands over to a waiter; a cancelled waiter leaves alone")
    func cancellation() async throws {
        let cache = cache()
        let gate = Gate()
        let runs = LockedValue(0)
        let held = ClosureHandler { _ in
            let run = runs.withLock {
                $0 += 1
                return $0
            }
            await gate.pass()
            try Task.checkCancellation()
            return .integer(run)
        }
        let tasks = await concurrentCalls(5, on: cache, next: held, gate: gate)
        tasks[0].cancel()  // the leader: the waiters start over and one of them runs the node
        tasks[3].cancel()  // a waiter: it alone fails
        gate.openAll()
        var values: [JSONValue] = []
        for task in tasks[1...] where task != tasks[3] { values.append(try await task.value) }
        await #expect(throws: CancellationError.self) { try await tasks[0].value }
        await #expect(throws: CancellationError.self) { try await tasks[3].value }
        #expect(values == [2, 2, 2])
        #expect(runs.withLock { $0 } == 2)
    }

    @Test("config problems are named by their place; used by name from a workflow file")
    func configAndFile() async throws {
        var definition = Fixtures.chain(["a"])
        definition.nodes[0].interceptors = [
            InterceptorReference("cache", config: ["ttl": 0, "maxEntries": 0, "key": "global", "backend": "disk", "size": 1])
        ]
        let error = #expect(throws: WorkflowValidationError.self) { try Fixtures.runtime().prepare(definition) }
        let place = "nodes[0].interceptors[0].config."
        #expect(
            error?.issues.map(\.path).sorted() == ["backend", "key", "maxEntries", "size", "ttl"].map { place + $0 }, "\(String(describing: error))")
        let runtime = Fixtures.runtime(clock: clock)
        let node = Counting()
        try runtime.register(kind: "counting") { call in try await node.handler.handle(call, context: RecordingNodeContext()) }
        let prepared = try runtime.prepare(
            try WorkflowDefinition(
                json: """
                    {"id": "cached", "version": "1.0.0", "nodes": [{"id": "a", "kind": "counting",
                      "interceptors": [{"name": "cache", "config": {"ttl": 60, "maxEntries": 10}}]}]}
                    """))
        let first = try await runtime.start(prepared, input: ["id": 7]).result
        let second = try await runtime.start(prepared, input: ["id": 7]).result
        #expect(node.count == 1)
        #expect(first.nodes["a"]?.output == second.nodes["a"]?.output)
    }
}
