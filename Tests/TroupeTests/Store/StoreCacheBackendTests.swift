import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// The run store as the `cache` interceptor's `"backend": "store"`: shared through the file,
/// wall-clock expiry, least-recently-used bound, damaged rows, config errors, concurrency.
@Suite("store cache backend", .timeLimit(.minutes(2)))
struct StoreCacheBackendTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// A wall clock the test moves by hand.
    final class ManualNow: Sendable {
        let date = LockedValue(Date(timeIntervalSince1970: 1_000_000))
        var function: @Sendable () -> Date { { [date] in date.withLock { $0 } } }
        func advance(by seconds: Double) { date.withLock { $0 += seconds } }
    }

    func store(_ path: String, maxCacheEntries: Int = 10_000, now: ManualNow = ManualNow()) throws -> SQLiteRunStore {
        try SQLiteRunStore(
            path: path, synchronous: .normal, busyTimeout: .seconds(5), maximumPageCount: nil, maxCacheEntries: maxCacheEntries, now: now.function)
    }

    static let workflow = """
        {"id": "cached", "version": "1.0.0", "nodes": [{"id": "a", "kind": "double",
          "interceptors": [{"name": "cache", "config": {"ttl": 3600, "backend": "store"}}]}]}
        """

    /// A runtime over `store` whose `double` kind counts its runs and doubles the input's `n`.
    static func runtime(store: SQLiteRunStore, runs: LockedValue<[Int: Int]>) throws -> WorkflowRuntime {
        let runtime = WorkflowRuntime(store: store)
        try runtime.register(kind: "double") { (call: NodeCall) async throws -> JSONValue in
            let n = call.input["n"]?.integerValue ?? 0
            runs.withLock { $0[n, default: 0] += 1 }
            return ["doubled": .integer(n * 2)]
        }
        return runtime
    }

    static func notes(of handle: WorkflowHandle) async -> [String] {
        var labels: [String] = []
        for await event in handle.events {
            if case .interceptorNote(_, let note) = event.kind { labels.append("\(note.interceptor) \(note.event)") }
        }
        return labels
    }

    @Test("a result one runtime stored is a hit for another runtime that opened the same file")
    func sharedThroughTheFile() async throws {
        let path = directory.file()
        let firstStore = try store(path)
        let firstRuns = LockedValue<[Int: Int]>([:])
        let first = try Self.runtime(store: firstStore, runs: firstRuns)
        let missed = first.start(try first.prepare(try WorkflowDefinition(json: Self.workflow)), input: ["n": 21])
        #expect(await Self.notes(of: missed) == ["cache miss"])
        #expect(try await missed.result.nodes["a"]?.output == ["doubled": 42])
        // The second process's view: the same path opened again, while the first is still open.
        let secondStore = try store(path)
        let secondRuns = LockedValue<[Int: Int]>([:])
        let second = try Self.runtime(store: secondStore, runs: secondRuns)
        let hit = second.start(try second.prepare(try WorkflowDefinition(json: Self.workflow)), input: ["n": 21])
        #expect(await Self.notes(of: hit) == ["cache hit"])
        #expect(try await hit.result.nodes["a"]?.output == ["doubled": 42])
        #expect(secondRuns.withLock { $0 }.isEmpty, "the second runtime's node never ran")
        #expect(firstRuns.withLock { $0 } == [21: 1])
        await firstStore.close()
        await secondStore.close()
        // And after both closed: a third opening still finds it.
        let third = try store(path)
        #expect(await third.result(forKey: "k") == nil)
        #expect(third.cacheEntryCount == 1)
        await third.close()
    }

    @Test("an entry expires at the wall-clock time in its row, also for a store opened later")
    func expiry() async throws {
        let path = directory.file()
        let now = ManualNow()
        let store = try store(path, now: now)
        await store.store(["v": 1], forKey: "short", timeToLive: .seconds(10))
        await store.store(["v": 2], forKey: "forever", timeToLive: nil)
        now.advance(by: 9.5)
        #expect(await store.result(forKey: "short") == ["v": 1])
        await store.close()
        // A later process with the same clock sees the same expiry.
        let reopened = try self.store(path, now: now)
        now.advance(by: 0.5)
        #expect(await reopened.result(forKey: "short") == nil, "expired exactly at its time to live")
        #expect(await reopened.result(forKey: "forever") == ["v": 2])
        // The next write deletes every expired row.
        await reopened.store(["v": 3], forKey: "other", timeToLive: .seconds(1))
        #expect(reopened.cacheEntryCount == 2)
        #expect(await reopened.result(forKey: "short") == nil)
        await reopened.close()
    }

    @Test("at most maxCacheEntries rows; a write evicts the least recently used, and a hit makes an entry recent")
    func leastRecentlyUsedBound() async throws {
        let store = try store(directory.file(), maxCacheEntries: 2)
        await store.store("A", forKey: "a", timeToLive: nil)
        await store.store("B", forKey: "b", timeToLive: nil)
        #expect(await store.result(forKey: "a") == "A", "a is now more recent than b")
        await store.store("C", forKey: "c", timeToLive: nil)
        #expect(store.cacheEntryCount == 2)
        #expect(await store.result(forKey: "b") == nil, "b was the least recently used")
        #expect(await store.result(forKey: "a") == "A")
        #expect(await store.result(forKey: "c") == "C")
        await store.store("A2", forKey: "a", timeToLive: nil)
        #expect(store.cacheEntryCount == 2, "replacing a key adds no row")
        #expect(await store.result(forKey: "a") == "A2")
        await store.close()
    }

    @Test("a value row that is not JSON is a miss, is deleted, and the key can be stored again")
    func corruptRowIsAMiss() async throws {
        let path = directory.file()
        let store = try store(path)
        await store.store(["ok": true], forKey: "k", timeToLive: nil)
        try SQLiteRunStoreTests.sql(path, "UPDATE cache_entries SET value = '{\"ok\": tru' WHERE key = 'k'")
        #expect(await store.result(forKey: "k") == nil)
        await store.store(["ok": false], forKey: "other", timeToLive: nil)
        #expect(store.cacheEntryCount == 1, "the damaged row went with the next commit")
        await store.store(["ok": true], forKey: "k", timeToLive: nil)
        #expect(await store.result(forKey: "k") == ["ok": true])
        await store.close()
    }

    @Test("config: store backend needs a store; unknown backends list both; maxEntries is refused beside store")
    func validation() async throws {
        func issues(_ config: JSONValue, store: SQLiteRunStore?) -> [ValidationIssue] {
            var definition = Fixtures.chain(["a", "b"])
            definition.nodes[1].interceptors = [InterceptorReference("timeout", config: ["seconds": 5]), InterceptorReference("cache", config: config)]
            let runtime = store.map { WorkflowRuntime(store: $0) } ?? Fixtures.runtime()
            try? runtime.register(kind: "echo") { call in call.input }
            do {
                _ = try runtime.prepare(definition)
                return []
            } catch {
                return error.issues
            }
        }
        let place = "nodes[1].interceptors[1].config."
        let noStore = issues(["backend": "store"], store: nil)
        #expect(noStore.map(\.path) == [place + "backend"], "\(noStore)")
        #expect(noStore.first?.message.contains("needs a runtime with a run store") == true)
        let unknown = issues(["backend": "disk"], store: nil)
        #expect(unknown.map(\.path) == [place + "backend"])
        #expect(unknown.first?.message.contains("must be one of \"memory\", \"store\", found \"disk\"") == true, "\(unknown)")
        let store = try store(directory.file())
        #expect(issues(["backend": "store", "ttl": 5], store: store).isEmpty)
        #expect(issues(["backend": "store", "maxEntries": 5], store: store).map(\.path) == [place + "maxEntries"])
        await store.close()
    }

    @Test("stress: two runtimes on one file, many instances at once over a few keys; each key runs at most once per runtime")
    func concurrentInstances() async throws {
        let path = directory.file()
        let stores = [try store(path), try store(path)]
        let runs = [LockedValue<[Int: Int]>([:]), LockedValue<[Int: Int]>([:])]
        let runtimes = try (0..<2).map { try Self.runtime(store: stores[$0], runs: runs[$0]) }
        let prepared = try runtimes.map { try $0.prepare(try WorkflowDefinition(json: Self.workflow)) }
        let outputs = await withTaskGroup(of: (Int, JSONValue?).self) { group in
            for index in 0..<200 {
                let side = index % 2
                let n = index % 10
                group.addTask {
                    let result = try? await runtimes[side].start(prepared[side], input: ["n": .integer(n)]).result
                    return (n, result?.nodes["a"]?.output)
                }
            }
            var outputs: [(Int, JSONValue?)] = []
            for await output in group { outputs.append(output) }
            return outputs
        }
        #expect(outputs.count == 200)
        for (n, output) in outputs { #expect(output == ["doubled": .integer(n * 2)]) }
        let counts = runs.map { $0.withLock { $0 } }
        for n in 0..<10 {
            // Single-flight works within a runtime; across processes, both may miss at once.
            let total = (counts[0][n] ?? 0) + (counts[1][n] ?? 0)
            #expect((1...2).contains(total), "key \(n) ran \(total) times")
        }
        #expect(stores[0].cacheEntryCount == 10)
        for store in stores { await store.close() }
    }
}
