import Foundation
import Troupe

/// Durable execution against the raw SQLite ceiling, all in one run: node completions per second
/// with many durable instances in flight, one instance's added latency per node against one
/// commit, in-memory throughput with and without a store attached, and recovering 10,000 open runs.
struct StoreBenchmark: Sendable {
    /// Smaller counts for a smoke run.
    let quick: Bool

    /// Runs everything, prints the tables and returns the targets.
    func run() async throws -> [TargetCheck] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-bench-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let instances = quick ? 400 : 3_000
        let baseline = try RawSQLiteBaseline(path: "\(directory)/raw.db")
        let ceiling = try baseline.rowsPerSecond(rows: instances * 10, batch: 256)
        let commit = try baseline.commitLatency(count: quick ? 100 : 400)
        baseline.close()

        let durable = try await completionsPerSecond(path: "\(directory)/durable.db", instances: instances, inFlight: 256)
        let latency = try await addedLatencyPerNode(path: "\(directory)/latency.db", instances: quick ? 20 : 100)
        let memory = try await inMemoryRatio(path: "\(directory)/memory.db", instances: quick ? 5_000 : 50_000)
        let recovery = try await recovery(path: "\(directory)/recovery.db", runs: quick ? 2_000 : 10_000)

        var table = ReportTable(
            title: "Durable execution (SQLite WAL + synchronous=FULL; \(NumberText.grouped(instances)) chain10 instances, 256 in flight)",
            headers: ["measure", "troupe", "baseline", "troupe/baseline"])
        table.append(
            "node completions/s vs raw inserts/s (batches of 256)", NumberText.fixed(durable, 0), NumberText.fixed(ceiling, 0),
            NumberText.fixed(durable / ceiling, 2))
        table.append(
            "one instance: added µs per node vs one commit", NumberText.fixed(latency.seconds * 1e6, 0), NumberText.fixed(commit.seconds * 1e6, 0),
            NumberText.fixed(latency / commit, 2))
        table.append(
            "in memory: run() inst/s with a store vs without", NumberText.fixed(memory.with, 0), NumberText.fixed(memory.without, 0),
            NumberText.fixed(memory.with / memory.without, 2))
        table.append(
            "recover() of \(NumberText.grouped(recovery.runs)) open runs: s to resume / to finish", NumberText.fixed(recovery.resumed.seconds, 3),
            NumberText.fixed(recovery.finished.seconds, 3), "—")
        for line in table.lines { print(line) }
        print("")
        return [
            TargetCheck(
                requirement: "durable node completions ≥ 0.5× raw batched inserts", measured: NumberText.fixed(durable / ceiling, 2),
                passed: durable / ceiling >= 0.5),
            TargetCheck(
                requirement: "one instance: a durable node adds ≤ ~1 commit", measured: "\(NumberText.fixed(latency / commit, 2)) commits",
                passed: latency / commit <= 1.5),
            TargetCheck(
                requirement: "in-memory run() with a store within 5% of without", measured: NumberText.fixed(memory.with / memory.without, 2),
                passed: memory.with / memory.without >= 0.95),
            TargetCheck(
                requirement: "\(NumberText.grouped(recovery.runs)) open runs resumed within 1 s",
                measured: "\(NumberText.fixed(recovery.resumed.seconds, 3)) s",
                passed: recovery.resumed <= .seconds(1)),
        ]
    }

    private static let chain = WorkflowDefinition(
        id: "chain10", nodes: (0..<10).map { NodeDefinition("n\($0)", kind: AddNode.kind) },
        edges: (0..<9).map { EdgeDefinition(from: "n\($0)", to: "n\($0 + 1)") })

    /// Durable node completions per second with `inFlight` instances running at once.
    private func completionsPerSecond(path: String, instances: Int, inFlight: Int) async throws -> Double {
        let store = try SQLiteRunStore(path: path)
        let runtime = WorkflowRuntime(store: store)
        try AddNode.register(in: runtime)
        let workflow = try runtime.prepare(Self.chain)
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started = 0
            func launch() {
                let handle = runtime.start(workflow, input: 0)
                group.addTask {
                    guard try await handle.result.status == .completed else { throw BenchmarkFailure(description: "a durable chain10 failed") }
                }
                started += 1
            }
            while started < min(inFlight, instances) { launch() }
            while try await group.next() != nil { if started < instances { launch() } }
        }
        let elapsed = clock.now - start
        await store.close()
        return Double(instances * 10) / elapsed.seconds
    }

    /// What a durable node adds to one instance running alone, per node.
    private func addedLatencyPerNode(path: String, instances: Int) async throws -> Duration {
        let store = try SQLiteRunStore(path: path)
        let durable = WorkflowRuntime(store: store)
        let memory = WorkflowRuntime()
        try AddNode.register(in: durable)
        try AddNode.register(in: memory)
        let durableWorkflow = try durable.prepare(Self.chain)
        let memoryWorkflow = try memory.prepare(Self.chain)
        let clock = ContinuousClock()
        var withStore = Duration.zero
        var without = Duration.zero
        for _ in 0..<instances {
            var start = clock.now
            _ = try await durable.start(durableWorkflow, input: 0).result
            withStore += clock.now - start
            start = clock.now
            _ = try await memory.start(memoryWorkflow, input: 0).result
            without += clock.now - start
        }
        await store.close()
        return (withStore - without) / (instances * 10)
    }

    /// `run(_:)` throughput (in memory) on a runtime with a store attached and on one without, best of 3 interleaved rounds.
    private func inMemoryRatio(path: String, instances: Int) async throws -> (with: Double, without: Double) {
        let store = try SQLiteRunStore(path: path)
        let attached = WorkflowRuntime(store: store)
        let plain = WorkflowRuntime()
        try AddNode.register(in: attached)
        try AddNode.register(in: plain)
        let attachedWorkflow = try attached.prepare(Self.chain)
        let plainWorkflow = try plain.prepare(Self.chain)
        func rate(_ runtime: WorkflowRuntime, _ workflow: PreparedWorkflow) async throws -> Double {
            let clock = ContinuousClock()
            let start = clock.now
            for _ in 0..<instances {
                guard await runtime.run(workflow, input: 0).status == .completed else { throw BenchmarkFailure(description: "chain10 failed") }
            }
            return Double(instances) / (clock.now - start).seconds
        }
        var best = (with: 0.0, without: 0.0)
        for _ in 0..<3 {
            best.without = max(best.without, try await rate(plain, plainWorkflow))
            best.with = max(best.with, try await rate(attached, attachedWorkflow))
        }
        await store.close()
        return best
    }

    /// Leaves `runs` runs open (their first node committed, the second running) in a store given
    /// up as a crashed process would, then times a new runtime's `recover()`.
    private func recovery(path: String, runs: Int) async throws -> (runs: Int, resumed: Duration, finished: Duration) {
        let definition = WorkflowDefinition(
            id: "open", nodes: [NodeDefinition("a", kind: AddNode.kind), NodeDefinition("b", kind: AddNode.gatedKind)],
            edges: [EdgeDefinition(from: "a", to: "b")])
        let gate = Gate()
        let first = try SQLiteRunStore(path: path, synchronous: .normal)
        let crashed = WorkflowRuntime(store: first)
        try AddNode.register(in: crashed)
        try AddNode.registerGated(in: crashed, gate: gate)
        let workflow = try crashed.prepare(definition)
        for _ in 0..<runs { _ = crashed.start(workflow, input: 0) }
        try await gate.untilWaiting(runs)
        await first.close()

        let store = try SQLiteRunStore(path: path)
        let runtime = WorkflowRuntime(store: store)
        try AddNode.register(in: runtime)
        try runtime.register(kind: AddNode.gatedKind) { call in try AddNode.output(for: call) }
        let clock = ContinuousClock()
        let start = clock.now
        let handles = try await runtime.recover()
        let resumed = clock.now - start
        guard handles.count == runs else { throw BenchmarkFailure(description: "recovered \(handles.count) of \(runs) runs") }
        for handle in handles {
            guard try await handle.result.status == .completed else { throw BenchmarkFailure(description: "a recovered run failed") }
        }
        let finished = clock.now - start
        await store.close()
        gate.releaseWaiters()
        return (runs, resumed, finished)
    }
}
