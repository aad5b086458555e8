import Troupe
import TroupeTesting

/// Resident memory per instance parked at a `wait` node, `first` → `approval` (wait) → `last`, and
/// at a `sleep` node in its place, started with `runtime.start`, against a bare task suspended on a
/// continuation; then every instance is signalled (or its clock moved on) and each result checked.
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

        let signalled = try await parkedAtWait()
        let slept = try await parkedAtSleep()
        return ParkedResult(
            instances: instances, troupe: signalled.bytes, sleeping: slept.bytes, baseline: Double(baselineAfter - baselineBefore) / Double(instances),
            signalledAndCompleted: signalled.completion, wokenAndCompleted: slept.completion)
    }

    /// Parks every instance at a `wait` node; returns the resident bytes per instance, and the time
    /// from the first signal until every instance had completed.
    private func parkedAtWait() async throws -> (bytes: Double, completion: Duration) {
        let runtime = WorkflowRuntime()
        try AddNode.register(in: runtime)
        let prepared = try runtime.prepare(flow(waitingAt: NodeDefinition("approval", kind: "wait")))
        var handles: [WorkflowHandle?] = []
        let (before, after) = try await park(&handles, of: { _ in prepared }, in: runtime, parks: Self.isWaiting)
        let clock = ContinuousClock()
        let start = clock.now
        // Every instance is signalled, and results are checked `batch` signals behind.
        for input in 0..<instances + Self.batch {
            if input < instances, handles[input]?.signal("approval", .integer(input + 1)) != true {
                throw BenchmarkFailure(description: "parked (troupe): instance \(input) refused its signal")
            }
            // `last` adds one to the signal's value.
            try await check(&handles, at: input - Self.batch, expecting: input - Self.batch + 2)
        }
        return (Double(after - before) / Double(instances), clock.now - start)
    }

    /// Parks every instance at a `sleep` node on a virtual clock, each batch sleeping a second
    /// longer than the one before (an hour, the first), then moves the clock on a second at a time,
    /// checking each batch's results before the next wakes, as the signals go: woken at one instant,
    /// millions of instances would each hold a running task at once. Returns the resident bytes per
    /// instance, and the time from the first wake-up until every instance had completed.
    private func parkedAtSleep() async throws -> (bytes: Double, completion: Duration) {
        let virtual = VirtualClock()
        let runtime = WorkflowRuntime(clock: virtual)
        try AddNode.register(in: runtime)
        let batches = (instances + Self.batch - 1) / Self.batch
        let prepared = try (0..<batches).map { batch in
            try runtime.prepare(
                flow(
                    waitingAt: NodeDefinition("nap", kind: "sleep", config: ["seconds": .integer(3600 + batch), "output": 0]), firstFeedsLast: true))
        }
        var handles: [WorkflowHandle?] = []
        let (before, after) = try await park(&handles, of: { prepared[$0 / Self.batch] }, in: runtime, parks: Self.isNapping)
        let clock = ContinuousClock()
        let start = clock.now
        for batch in 0..<batches {
            virtual.advance(by: .seconds(batch == 0 ? 3600 : 1))
            // `last` adds one to `first`'s output (input + 1) and the sleep's (0).
            for input in batch * Self.batch..<min(instances, (batch + 1) * Self.batch) { try await check(&handles, at: input, expecting: input + 2) }
        }
        return (Double(after - before) / Double(instances), clock.now - start)
    }

    /// Whether `kind` is a `wait` node's `nodeWaiting`: the instance parks right after.
    private static func isWaiting(_ kind: WorkflowEvent.Kind) -> Bool {
        if case .nodeWaiting = kind { return true }
        return false
    }

    /// Whether `kind` is the `nap` node's `nodeStarted`: the instance parks right after.
    private static func isNapping(_ kind: WorkflowEvent.Kind) -> Bool {
        if case .nodeStarted("nap", _) = kind { return true }
        return false
    }

    /// `first` → `waiting` → `last`, and `first` → `last` too when `firstFeedsLast`; `last` adds one
    /// to the sum of its upstream outputs.
    private func flow(waitingAt waiting: NodeDefinition, firstFeedsLast: Bool = false) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "parked",
            nodes: [NodeDefinition("first", kind: AddNode.kind), waiting, NodeDefinition("last", kind: AddNode.kind)],
            edges: [EdgeDefinition(from: "first", to: waiting.id), EdgeDefinition(from: waiting.id, to: "last")]
                + (firstFeedsLast ? [EdgeDefinition(from: "first", to: "last")] : []))
    }

    /// Starts `instances` instances into `handles`, instance `i` of `prepared(i)`, a batch at a time,
    /// each batch parked (every instance's event that `parks` picks seen) before the next starts;
    /// returns the resident bytes before and after.
    private func park(
        _ handles: inout [WorkflowHandle?], of prepared: (Int) -> PreparedWorkflow, in runtime: WorkflowRuntime,
        parks: (WorkflowEvent.Kind) -> Bool
    ) async throws -> (before: Int, after: Int) {
        // Optional so that each is let go once its result is checked: a host that awaits results
        // does not keep every finished instance, and a run of millions then fits in memory.
        handles.reserveCapacity(instances)
        ResidentMemory.releaseFreedPages()
        guard let before = ResidentMemory.bytes() else { throw BenchmarkFailure(description: "parked: cannot read /proc/self/statm") }
        do {
            // Started a batch at a time, each batch parked before the next starts, so that the
            // subscription's buffer holds one batch's events, not millions of them.
            var events = runtime.events().makeAsyncIterator()
            while handles.count < instances {
                let batch = handles.count..<min(instances, handles.count + Self.batch)
                for input in batch { handles.append(runtime.start(prepared(input), input: .integer(input))) }
                var parked = 0
                while parked < batch.count, let event = await events.next() {
                    if parks(event.kind) { parked += 1 }
                }
                guard parked == batch.count else { throw BenchmarkFailure(description: "parked (troupe): the event stream ended early") }
            }
        }
        // The subscription ended with its scope, and with it its stream's buffer: only what the
        // parked instances hold stays.
        ResidentMemory.releaseFreedPages()
        return (before, ResidentMemory.bytes() ?? before)
    }

    /// Awaits the result of the instance at `index`, if there is one, checks that `last` output
    /// `expected`, and lets the handle go.
    private func check(_ handles: inout [WorkflowHandle?], at index: Int, expecting expected: Int) async throws {
        guard index >= 0, index < instances, let handle = handles[index] else { return }
        handles[index] = nil
        let result = try await handle.result
        guard result.status == .completed, result.nodes["last"]?.output == .integer(expected) else {
            throw BenchmarkFailure(description: "parked (troupe): instance \(index) ended \(result.status) with a wrong result")
        }
    }
}
