@_spi(Development) import Troupe

/// Runs many instances of a prepared workflow at once, injects faults, checks every instance's
/// invariants (``StressInvariants``) and measures throughput, latency and memory. When the runtime
/// records to a store (``WorkflowRuntime/store``), each run's stored record, node attempts and
/// history must agree with its result too.
///
/// Faults come from two places, both seeded by ``StressOptions/seed``: the driver cancels, pauses
/// and resumes instances, or runs them with a short deadline, on the fractions the options give;
/// and each instance gets its own seed for the workflow's `chaos` interceptors (through the
/// metadata key ``ChaosInterceptor/seedMetadataKey``), so a failing run replays with its seed.
///
/// A host's test suite stresses its own workflow in a few lines:
///
/// ```swift
/// @Test func stress() async throws {
///     let runtime = WorkflowRuntime()
///     try runtime.register(kind: "price") { call in .double(9.99) }
///     let workflow = try runtime.prepare(try WorkflowDefinition(json: checkoutJSON))
///     let report = try await StressRun(
///         runtime: runtime, workflow: workflow,
///         options: StressOptions(instances: 500, concurrency: 32, cancelFraction: 0.05, pauseFraction: 0.05)
///     ).run()
///     #expect(report.violationCount == 0, "\(report.violations)")
/// }
/// ```
public final class StressRun: Sendable {
    /// The runtime the instances run in.
    public let runtime: WorkflowRuntime
    /// The workflow every instance runs.
    public let workflow: PreparedWorkflow
    /// How the run is driven.
    public let options: StressOptions
    private let deadlineWorkflow: PreparedWorkflow?
    private let kinds: [String: String]
    private let live = LockedValue(StressProgress(done: 0, inFlight: 0, errors: 0, violations: 0))

    /// Prepares the run; with a deadline fraction, also the workflow with the short deadline, which can fail validation.
    public init(runtime: WorkflowRuntime, workflow: PreparedWorkflow, options: StressOptions) throws(WorkflowValidationError) {
        self.runtime = runtime
        self.workflow = workflow
        self.options = options
        if options.deadlineFraction > 0 {
            var definition = workflow.definition
            definition.deadline = options.deadlineHit
            deadlineWorkflow = try runtime.prepare(definition)
        } else {
            deadlineWorkflow = nil
        }
        kinds = Dictionary(workflow.definition.nodes.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
    }

    /// Where the run is now; safe to read from any task while ``run()`` runs.
    public var progress: StressProgress { live.withLock { $0 } }

    /// Runs every instance to its end and reports.
    public func run() async -> StressReport {
        // Hand freed memory back first, so that the leak check compares like with like.
        ResidentMemory.handBackFreedMemory()
        let before = ResidentMemory.current
        let start = ContinuousClock.now
        var tally = StressTally(seed: options.seed)
        var peak = before
        var peakInFlight = 0
        let reloads = options.pluginReloadInterval.map { StressPluginReloads(registry: runtime.registry, every: $0) }
        await withTaskGroup(of: InstanceOutcome.self) { group in
            var next = 0
            var inFlight = 0
            func wantsMore() -> Bool {
                if let duration = options.duration { return ContinuousClock.now - start < duration }
                return next < options.instances
            }
            while inFlight < max(1, options.concurrency), wantsMore() {
                let index = next
                group.addTask { await self.runInstance(index) }
                next += 1
                inFlight += 1
            }
            peakInFlight = inFlight
            live.withLock { $0.inFlight = inFlight }
            while let outcome = await group.next() {
                inFlight -= 1
                tally.add(outcome)
                if tally.instances % 64 == 0 { peak = max(peak, ResidentMemory.current) }
                if wantsMore() {
                    let index = next
                    group.addTask { await self.runInstance(index) }
                    next += 1
                    inFlight += 1
                }
                peakInFlight = max(peakInFlight, inFlight)
                live.withLock {
                    $0 = StressProgress(done: tally.instances, inFlight: inFlight, errors: tally.errors, violations: tally.violationCount)
                }
            }
        }
        let reloaded = await reloads?.stop() ?? StressPluginReloads.Outcome()
        let elapsed = ContinuousClock.now - start
        peak = max(peak, ResidentMemory.current)
        if options.duration == nil, tally.instances != options.instances {
            tally.runViolations.append("\(tally.instances) instances ended, \(options.instances) were started")
        }
        ResidentMemory.handBackFreedMemory()
        let memory = StressMemory(
            before: before, peak: peak, highWaterMark: ResidentMemory.peak, after: ResidentMemory.current,
            perInFlightInstance: max(0, peak - before) / max(1, peakInFlight), leakBound: options.leakBound)
        return tally.report(elapsed: elapsed, memory: memory, reloads: reloaded)
    }

    /// Runs instance `index` with its fault and its seed, watching its events, and checks it.
    private func runInstance(_ index: Int) async -> InstanceOutcome {
        let (fault, seed) = StressFault.draw(for: index, options: options)
        let prepared = fault == .deadline ? (deadlineWorkflow ?? workflow) : workflow
        let start = ContinuousClock.now
        let handle = runtime.start(prepared, input: options.input, metadata: [ChaosInterceptor.seedMetadataKey: String(seed)])
        var injected: String? = fault == .deadline ? "deadline" : nil
        func inject(afterEvents count: Int) async {
            switch fault {
            case .cancel(let after) where after == count:
                handle.cancel()
                injected = "cancel"
            case .pause(let after, let yields) where after == count:
                if await handle.pause() {
                    injected = "pause"
                    for _ in 0..<yields { await Task.yield() }
                    // A pause that took effect must be undone, or an instance with pending nodes never ends.
                    _ = await handle.resume()
                }
            default:
                break
            }
        }
        await inject(afterEvents: 0)
        var events: [WorkflowEvent] = []
        for await event in handle.events {
            events.append(event)
            await inject(afterEvents: events.count)
        }
        guard let result = try? await handle.result else {
            return InstanceOutcome(
                index: index, instanceID: handle.id, seed: seed, status: .cancelled, latency: ContinuousClock.now - start,
                nodeDurations: [], retries: 0, injected: injected, violations: ["the driver's wait for the result was cancelled"])
        }
        let latency = ContinuousClock.now - start
        let nodeDurations = result.nodes.compactMap { id, report in
            report.attempts > 0 ? (kind: kinds[id] ?? "?", duration: report.duration) : nil
        }
        let retries = events.count { if case .nodeRetrying = $0.kind { true } else { false } }
        var violations = StressInvariants.violations(of: result, events: events, definition: prepared.definition)
        if let store = runtime.store {
            violations += await StoredRunInvariants.violations(of: result, runID: handle.runID, store: store)
        }
        return InstanceOutcome(
            index: index, instanceID: handle.id, seed: seed, status: result.status, latency: latency, nodeDurations: nodeDurations,
            retries: retries, injected: injected,
            violations: violations)
    }
}
