import Foundation
import Troupe

/// Durable execution against the raw SQLite ceiling, all in one run: node completions per second
/// with many durable instances in flight (and, for reference, the same rows written by hand with
/// each node's commit awaited, ``GroupCommitBaseline``), one instance's added latency per node against one
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
        let inFlight = 256
        // Rounds interleave the runtime and the baseline on fresh files; the medians are compared.
        var durable: [Double] = []
        var ceiling: [Double] = []
        var awaitedPerNode: [Double] = []
        var shortRows = 0.0
        // CPU seconds of the whole process per node, runtime and baseline, for the same rounds.
        var durableCPU: [Double] = []
        var ceilingCPU: [Double] = []
        var writelessCPU: [Double] = []
        let rounds = quick ? 1 : 5
        for round in 0..<rounds {
            let durableStart = ProcessCPUTime.seconds()
            let measured = try await completionsPerSecond(path: "\(directory)/durable\(round).db", instances: instances, inFlight: inFlight)
            durableCPU.append((ProcessCPUTime.seconds() - durableStart) / Double(instances * 10))
            durable.append(measured.rate)
            let writelessStart = ProcessCPUTime.seconds()
            let writeless = WritelessStore(interval: .microseconds(300))
            _ = try await completionsPerSecond(on: writeless, instances: instances, inFlight: inFlight)
            await writeless.close()
            writelessCPU.append((ProcessCPUTime.seconds() - writelessStart) / Double(instances * 10))
            var baseline = try RawSQLiteBaseline(path: "\(directory)/raw\(round).db", definition: measured.definition)
            let ceilingStart = ProcessCPUTime.seconds()
            ceiling.append(try baseline.nodeCompletionsPerSecond(runs: instances, inFlight: inFlight))
            ceilingCPU.append((ProcessCPUTime.seconds() - ceilingStart) / Double(instances * 10))
            let groupCommit = try GroupCommitBaseline(path: "\(directory)/awaited\(round).db", definition: measured.definition)
            awaitedPerNode.append(try await groupCommit.nodeCompletionsPerSecond(runs: instances, inFlight: inFlight))
            await groupCommit.close()
            if round == 0 {
                var short = try RawSQLiteBaseline(path: "\(directory)/short.db", definition: measured.definition)
                shortRows = try short.shortRowsPerSecond(rows: instances * 10, batch: inFlight)
                short.close()
            }
            baseline.close()
        }
        let rate = durable.sorted()[rounds / 2]
        let rawRate = ceiling.sorted()[rounds / 2]
        let latency = try await addedLatencyPerNode(
            path: "\(directory)/latency.db", commitPath: "\(directory)/commit.db", handOffPath: "\(directory)/hand-off.db", rounds: quick ? 10 : 50)
        let memory = try await inMemoryRatio(path: "\(directory)/memory.db", instances: quick ? 2_000 : 20_000, rounds: quick ? 3 : 7)
        let recovery = try await recovery(path: "\(directory)/recovery.db", runs: quick ? 2_000 : 10_000)

        var table = ReportTable(
            title:
                "Durable execution (SQLite WAL + synchronous=FULL; \(NumberText.grouped(instances)) chain10 instances, \(inFlight) in flight)",
            headers: ["measure", "troupe", "baseline", "troupe/baseline"])
        table.append(
            "node completions/s vs raw inserts of the same rows (median of \(rounds))", NumberText.fixed(rate, 0), NumberText.fixed(rawRate, 0),
            NumberText.fixed(rate / rawRate, 2))
        // Each round's runtime and baseline run back to back: their ratios show how far the host
        // moved the row within this run (the target is held to the medians' ratio above).
        let roundRatios = zip(durable, ceiling).map { $0 / $1 }.sorted()
        table.append(
            "  (for reference: each round's ratio, lowest to highest)", "—", "—",
            roundRatios.map { NumberText.fixed($0, 2) }.joined(separator: " "))
        let awaited = awaitedPerNode.sorted()[rounds / 2]
        table.append(
            "  (for reference: the same rows by hand, each node's commit awaited)", NumberText.fixed(rate, 0), NumberText.fixed(awaited, 0),
            NumberText.fixed(rate / awaited, 2))
        table.append("  (for reference: raw inserts/s of one short row per node)", "—", NumberText.fixed(shortRows, 0), "—")
        let cpu = (durable: durableCPU.sorted()[rounds / 2], ceiling: ceilingCPU.sorted()[rounds / 2])
        table.append(
            "  (for reference: process CPU µs per node, median)", NumberText.fixed(cpu.durable * 1e6, 1), NumberText.fixed(cpu.ceiling * 1e6, 1),
            NumberText.fixed(cpu.durable / cpu.ceiling, 2))
        let runtimeCPU = writelessCPU.sorted()[rounds / 2]
        table.append(
            "  (for reference: process CPU µs per node vs on a store that writes nothing)", NumberText.fixed(cpu.durable * 1e6, 1),
            NumberText.fixed(runtimeCPU * 1e6, 1), NumberText.fixed(cpu.durable / runtimeCPU, 2))
        table.append(
            "one instance: µs per node (chain20 − chain10) vs one commit (median round)", NumberText.fixed(latency.perNode.seconds * 1e6, 0),
            NumberText.fixed(latency.commit.seconds * 1e6, 0), NumberText.fixed(latency.commits, 2))
        table.append(
            "  (for reference: one commit handed to a writer thread and awaited)", NumberText.fixed(latency.perNode.seconds * 1e6, 0),
            NumberText.fixed(latency.handOff.seconds * 1e6, 0), NumberText.fixed(latency.handOffs, 2))
        table.append(
            "in memory: run() inst/s with a store vs without (median)", NumberText.fixed(memory.with, 0), NumberText.fixed(memory.without, 0),
            NumberText.fixed(memory.with / memory.without, 2))
        table.append(
            "recover() of \(NumberText.grouped(recovery.runs)) open runs: s to resume / to finish", NumberText.fixed(recovery.resumed.seconds, 3),
            NumberText.fixed(recovery.finished.seconds, 3), "—")
        for line in table.lines { print(line) }
        print("")
        return [
            TargetCheck(
                requirement: "durable node completions ≥ 0.5× raw inserts of the same rows", measured: NumberText.fixed(rate / rawRate, 2),
                passed: rate / rawRate >= 0.5),
            TargetCheck(
                requirement: "one instance: a durable node adds ≤ ~1 commit", measured: "\(NumberText.fixed(latency.commits, 2)) commits",
                passed: latency.commits <= 1.5),
            TargetCheck(
                requirement: "in-memory run() with a store within 5% of without", measured: NumberText.fixed(memory.with / memory.without, 2),
                passed: memory.with / memory.without >= 0.95),
            TargetCheck(
                requirement: "\(NumberText.grouped(recovery.runs)) open runs resumed within 1 s",
                measured: "\(NumberText.fixed(recovery.resumed.seconds, 3)) s",
                passed: recovery.resumed <= .seconds(1)),
        ]
    }

    private static func chain(length: Int) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "chain\(length)", nodes: (0..<length).map { NodeDefinition("n\($0)", kind: AddNode.kind) },
            edges: (0..<(length - 1)).map { EdgeDefinition(from: "n\($0)", to: "n\($0 + 1)") })
    }

    private static let chain = chain(length: 10)

    /// Durable node completions per second with `inFlight` instances running at once, and the
    /// definition record the store kept (the baseline writes the same one).
    private func completionsPerSecond(path: String, instances: Int, inFlight: Int) async throws -> (rate: Double, definition: DefinitionRecord) {
        let store = try SQLiteRunStore(path: path)
        let rate = try await completionsPerSecond(on: store, instances: instances, inFlight: inFlight)
        guard let run = try await store.runs(RunQuery(limit: 1)).first, let definition = try await store.definition(run.definitionHash) else {
            throw BenchmarkFailure(description: "the durable runs' definition is not in the store")
        }
        await store.close()
        return (rate, definition)
    }

    /// Durable node completions per second on `store` with `inFlight` instances running at once.
    private func completionsPerSecond(on store: any RunStore, instances: Int, inFlight: Int) async throws -> Double {
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
        return Double(instances * 10) / (clock.now - start).seconds
    }

    /// What a durable node adds to one instance running alone: the time a chain20 takes beyond a
    /// chain10, durable less in memory, per added node, so that a run's own start and end commits
    /// are not counted as its nodes'. Each round runs the four once, interleaved, then times as many
    /// raw commits as the round's runs made (30 nodes, two run inserts, two run ends) on a file of
    /// its own, so that both files grow alike and each round's nodes are held to that round's
    /// commits: a commit's `fsync` here moves by a third from minute to minute. Then as many commits
    /// handed to a writer thread and awaited (the path a commit takes while the writer is busy, ``GroupCommitBaseline/commitLatency(count:)``). Returns
    /// the median round's figures and the medians of the rounds' ratios to both.
    private func addedLatencyPerNode(
        path: String, commitPath: String, handOffPath: String, rounds: Int
    ) async throws -> (
        perNode: Duration, commit: Duration, commits: Double, handOff: Duration, handOffs: Double
    ) {
        let store = try SQLiteRunStore(path: path)
        let durable = WorkflowRuntime(store: store)
        let memory = WorkflowRuntime()
        try AddNode.register(in: durable)
        try AddNode.register(in: memory)
        let short = (durable: try durable.prepare(Self.chain), memory: try memory.prepare(Self.chain))
        let long = (durable: try durable.prepare(Self.chain(length: 20)), memory: try memory.prepare(Self.chain(length: 20)))
        var raw = try RawSQLiteBaseline(path: commitPath, definition: DefinitionRecord(Self.chain, components: []))
        defer { raw.close() }
        let writer = try GroupCommitBaseline(path: handOffPath, definition: DefinitionRecord(Self.chain, components: []))
        let clock = ContinuousClock()
        func time(_ runtime: WorkflowRuntime, _ workflow: PreparedWorkflow) async throws -> Duration {
            let start = clock.now
            guard try await runtime.start(workflow, input: 0).result.status == .completed else {
                throw BenchmarkFailure(description: "a chain failed")
            }
            return clock.now - start
        }
        var perNode: [Duration] = []
        var commits: [Duration] = []
        var ratios: [Double] = []
        var handOffs: [Duration] = []
        var handOffRatios: [Double] = []
        for _ in 0..<rounds {
            let durableAdded = try await time(durable, long.durable) - time(durable, short.durable)
            let memoryAdded = try await time(memory, long.memory) - time(memory, short.memory)
            let added = (durableAdded - memoryAdded) / 10
            let commit = try raw.commitLatency(count: 34)
            perNode.append(added)
            commits.append(commit)
            ratios.append(added / commit)
            let handOff = try await writer.commitLatency(count: 34)
            handOffs.append(handOff)
            handOffRatios.append(added / handOff)
        }
        await store.close()
        await writer.close()
        func median<Value: Comparable>(_ values: [Value]) -> Value { values.sorted()[rounds / 2] }
        return (median(perNode), median(commits), median(ratios), median(handOffs), median(handOffRatios))
    }

    /// `run(_:)` throughput (in memory) on a runtime with a store attached and on one without: the
    /// medians of `rounds` interleaved rounds, each pair run in alternating order.
    private func inMemoryRatio(path: String, instances: Int, rounds: Int) async throws -> (with: Double, without: Double) {
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
        var with: [Double] = []
        var without: [Double] = []
        for round in 0..<rounds {
            if round.isMultiple(of: 2) {
                without.append(try await rate(plain, plainWorkflow))
                with.append(try await rate(attached, attachedWorkflow))
            } else {
                with.append(try await rate(attached, attachedWorkflow))
                without.append(try await rate(plain, plainWorkflow))
            }
        }
        await store.close()
        return (with.sorted()[rounds / 2], without.sorted()[rounds / 2])
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
