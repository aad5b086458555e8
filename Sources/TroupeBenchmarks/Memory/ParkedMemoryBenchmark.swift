import Troupe

/// Resident memory per instance parked at a `wait` node: `first` → `approval` (wait) → `last`,
/// started with `runtime.start`, against a bare task suspended on a continuation; then every
/// instance is signalled at once and each result checked.
struct ParkedMemoryBenchmark: Sendable {
    /// How many instances are parked at once.
    let instances: Int
    /// How many instances start at once, and how far the checked results trail the signals.
    private static let batch = 10_000

    /// Measures the baseline, then Troupe.
    func run() async throws -> ParkedResult {
        let gate = Gate()
        ResidentMemory.releaseFreedPages()
        guard let baselineBefore = ResidentMemory.bytes() else { throw BenchmarkFailure(description: "parked: cannot read /proc/self/statm") }
        var tasks: [Task<Int, Never>] = []
        tasks.reserveCapacity(instances)
        for input in 0..<instances {
            tasks.append(
                Task {
                    await gate.wait()
                    return BaselineWork.add(input)
                })
        }
        try await gate.untilWaiting(instances)
        let baselineAfter = ResidentMemory.bytes() ?? baselineBefore
        gate.releaseWaiters()
        for (input, task) in tasks.enumerated() where await task.value != input + 1 {
            throw BenchmarkFailure(description: "parked (baseline): task \(input) returned a wrong result")
        }
        tasks = []

        let runtime = WorkflowRuntime()
        try AddNode.register(in: runtime)
        let prepared = try runtime.prepare(
            WorkflowDefinition(
                id: "parked",
                nodes: [
                    NodeDefinition("first", kind: AddNode.kind), NodeDefinition("approval", kind: "wait"),
                    NodeDefinition("last", kind: AddNode.kind),
                ],
                edges: [EdgeDefinition(from: "first", to: "approval"), EdgeDefinition(from: "approval", to: "last")]))
        // Optional so that each is let go once its result is checked: a host that awaits results
        // does not keep every finished instance, and a run of millions then fits in memory.
        var handles: [WorkflowHandle?] = []
        handles.reserveCapacity(instances)
        ResidentMemory.releaseFreedPages()
        guard let before = ResidentMemory.bytes() else { throw BenchmarkFailure(description: "parked: cannot read /proc/self/statm") }
        do {
            // Started a batch at a time, each batch parked before the next starts, so that the
            // subscription's buffer holds one batch's events, not millions of them.
            var events = runtime.events().makeAsyncIterator()
            while handles.count < instances {
                let batch = handles.count..<min(instances, handles.count + Self.batch)
                for input in batch { handles.append(runtime.start(prepared, input: .integer(input))) }
                var waiting = 0
                while waiting < batch.count, let event = await events.next() {
                    if case .nodeWaiting = event.kind { waiting += 1 }
                }
                guard waiting == batch.count else { throw BenchmarkFailure(description: "parked (troupe): the event stream ended early") }
            }
        }
        // The subscription ended with its scope, and with it its stream's buffer: only what the
        // parked instances hold stays.
        ResidentMemory.releaseFreedPages()
        let after = ResidentMemory.bytes() ?? before
        let clock = ContinuousClock()
        let start = clock.now
        // Every instance is signalled, and results are checked `batch` signals behind.
        for input in 0..<instances + Self.batch {
            if input < instances, handles[input]?.signal("approval", .integer(input + 1)) != true {
                throw BenchmarkFailure(description: "parked (troupe): instance \(input) refused its signal")
            }
            let checked = input - Self.batch
            guard checked >= 0, checked < instances, let handle = handles[checked] else { continue }
            handles[checked] = nil
            let result = try await handle.result
            guard result.status == .completed, result.nodes["last"]?.output == .integer(checked + 2) else {
                throw BenchmarkFailure(description: "parked (troupe): instance \(checked) ended \(result.status) with a wrong result")
            }
        }
        let completion = clock.now - start
        return ParkedResult(
            instances: instances, troupe: Double(after - before) / Double(instances),
            baseline: Double(baselineAfter - baselineBefore) / Double(instances), signalledAndCompleted: completion)
    }
}
