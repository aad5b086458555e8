import Troupe

/// Resident memory per instance parked at a `wait` node: `first` → `approval` (wait) → `last`,
/// started with `runtime.start`, against a bare task suspended on a continuation; then every
/// instance is signalled at once and each result checked.
struct ParkedMemoryBenchmark: Sendable {
    /// How many instances are parked at once.
    let instances: Int

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
        var handles: [WorkflowHandle] = []
        handles.reserveCapacity(instances)
        ResidentMemory.releaseFreedPages()
        guard let before = ResidentMemory.bytes() else { throw BenchmarkFailure(description: "parked: cannot read /proc/self/statm") }
        do {
            let events = runtime.events()
            for input in 0..<instances { handles.append(runtime.start(prepared, input: .integer(input))) }
            var waiting = 0
            for await event in events {
                if case .nodeWaiting = event.kind { waiting += 1 }
                if waiting == instances { break }
            }
        }
        // The subscription ended with its scope, and with it the buffer its stream grew while the
        // instances started (about 0.4 KiB per instance): only what the parked instances hold stays.
        ResidentMemory.releaseFreedPages()
        let after = ResidentMemory.bytes() ?? before
        let clock = ContinuousClock()
        let start = clock.now
        for (input, handle) in handles.enumerated() where !handle.signal("approval", .integer(input + 1)) {
            throw BenchmarkFailure(description: "parked (troupe): instance \(input) refused its signal")
        }
        for (input, handle) in handles.enumerated() {
            let result = try await handle.result
            guard result.status == .completed, result.nodes["last"]?.output == .integer(input + 2) else {
                throw BenchmarkFailure(description: "parked (troupe): instance \(input) ended \(result.status) with a wrong result")
            }
        }
        let completion = clock.now - start
        return ParkedResult(
            instances: instances, troupe: Double(after - before) / Double(instances),
            baseline: Double(baselineAfter - baselineBefore) / Double(instances), signalledAndCompleted: completion)
    }
}
