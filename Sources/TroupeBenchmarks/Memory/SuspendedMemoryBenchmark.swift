import Troupe

/// Resident memory per diamond10 instance whose branches are all suspended at a ``Gate``,
/// in Troupe and in the baseline (an unstructured task running a task group of suspended child tasks),
/// and, for reference, in the actor design by hand with Troupe's records (``RecordingWorkload``).
///
/// Each side suspends and releases a warm-up batch first, so that one-time allocations (threads,
/// metadata, the prepared workflow) fall before the first reading; and freed heap pages go back to the
/// kernel before each reading, so that the second side cannot hide in pages the first one left.
struct SuspendedMemoryBenchmark: Sendable {
    /// How many instances are suspended at once.
    let instances: Int
    /// The diamond's branches, each suspended.
    let branches = 8
    /// The instances of the warm-up batch.
    let warmUpInstances = 100

    /// Measures the baseline, then the design by hand, then Troupe.
    func run() async throws -> MemoryResult {
        let baselineGate = Gate()
        let baseline = try await bytesPerInstance(side: "baseline", gate: baselineGate) { input in
            Task { await BaselineDiamond.run(input: input, branches: branches, gate: baselineGate) }
        } result: { task in
            await task.value
        }
        let shape = WorkflowShape.diamond(branches: branches)
        let recordingGate = Gate()
        let recording = RecordingWorkload(shape: shape, asyncNodes: false, gate: recordingGate)
        let handWritten = try await bytesPerInstance(side: "by hand", gate: recordingGate) { input in
            let instance = recording.instance()
            return Task { await instance.run(input: .integer(input)).nodes[shape.exitNodeID]?.output?.integerValue }
        } result: { task in
            await task.value
        }
        let runtime = WorkflowRuntime()
        let troupeGate = Gate()
        try AddNode.register(in: runtime)
        try AddNode.registerGated(in: runtime, gate: troupeGate)
        let prepared = try runtime.prepare(shape.definition(kind: AddNode.kind, branchKind: AddNode.gatedKind))
        let troupe = try await bytesPerInstance(side: "troupe", gate: troupeGate) { input in
            runtime.start(prepared, input: .integer(input))
        } result: { handle in
            try? await handle.result.nodes[shape.exitNodeID]?.output?.integerValue
        }
        return MemoryResult(instances: instances, troupe: troupe, baseline: baseline, handWritten: handWritten)
    }

    /// A warm-up batch, then the measured one; returns the measured batch's bytes per instance.
    private func bytesPerInstance<Pending>(
        side: String, gate: Gate, start: (Int) -> Pending, result: (Pending) async -> Int?
    ) async throws -> Double {
        _ = try await suspendedBytes(warmUpInstances, side: side, gate: gate, start: start, result: result)
        return Double(try await suspendedBytes(instances, side: side, gate: gate, start: start, result: result)) / Double(instances)
    }

    /// Starts `count` instances, reads how much the RSS grew once all their branches wait at `gate`,
    /// then releases them and checks their results.
    private func suspendedBytes<Pending>(
        _ count: Int, side: String, gate: Gate, start: (Int) -> Pending, result: (Pending) async -> Int?
    ) async throws -> Int {
        let shape = WorkflowShape.diamond(branches: branches)
        var pending: [Pending] = []
        pending.reserveCapacity(count)
        ResidentMemory.releaseFreedPages()
        guard let before = ResidentMemory.bytes() else { throw BenchmarkFailure(description: "memory: cannot read /proc/self/statm") }
        for input in 0..<count { pending.append(start(input)) }
        try await gate.untilWaiting(count * branches)
        let after = ResidentMemory.bytes() ?? before
        gate.releaseWaiters()
        for (input, instance) in pending.enumerated() where await result(instance) != shape.expectedOutput(forInput: input) {
            throw BenchmarkFailure(description: "memory (\(side)): instance \(input) returned a wrong result")
        }
        return after - before
    }
}
