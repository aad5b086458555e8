/// Runs the selected benchmarks, printing each section's table as it finishes, then the targets.
///
/// The memory benchmark runs last: it hands freed pages back to the kernel, and whatever runs after it
/// pays page faults to get them back (15–35% more per node call in the interceptor benchmark).
struct BenchmarkSuite: Sendable {
    /// What to run and at what size.
    let options: BenchmarkOptions

    /// Runs everything selected, off the main actor; throws when a benchmark's results are wrong.
    @concurrent
    func run() async throws {
        let sizes = options.quick ? BenchmarkSizes.quick : BenchmarkSizes.full
        print("troupe-bench\(options.quick ? " --quick" : ""): troupe vs hand-written structured concurrency\n")
        var targets: [TargetCheck] = []
        targets += try await runThroughput(sizes)
        if options.runs("interceptors") { targets += try await runInterceptors(sizes) }
        if options.runs("resilience") { try await runResilience(options.quick ? 500 : 50_000) }
        if options.runs("plugin-interceptor") { targets.append(try await runPluginInterceptor(sizes)) }
        if options.runs("legacy") { targets.append(try await runLegacy(sizes)) }
        if options.runs("plugin-loading") { targets.append(try await runPluginLoading()) }
        if options.runs("parked") { targets += try await runParked(sizes) }
        if options.runs("memory") { targets.append(try await runMemory(sizes)) }
        if options.runs("store") { targets += try await StoreBenchmark(quick: options.quick).run() }
        print("## Targets\n")
        for target in targets { print(target.line) }
    }

    /// Runs the selected throughput benchmarks, prints their table and returns their targets.
    private func runThroughput(_ sizes: BenchmarkSizes) async throws -> [TargetCheck] {
        var table = ReportTable(
            title:
                "Throughput (\(NumberText.grouped(sizes.inFlight)) in flight, median of \(sizes.throughputRepetitions), baseline, by hand and troupe interleaved)",
            headers: [
                "workflow", "baseline", "instances", "troupe inst/s", "baseline inst/s", "troupe/baseline", "by hand inst/s", "by hand/baseline",
            ])
        var targets: [TargetCheck] = []
        for measured in ThroughputCase.all where options.runs(measured.shape.name) {
            for result in try await ThroughputBenchmark(measured: measured, sizes: sizes).run() {
                let ratio = NumberText.fixed(result.ratio, 2)
                table.append(
                    measured.label, measured.baselineLabel, NumberText.grouped(result.count), NumberText.fixed(result.troupe, 0),
                    NumberText.fixed(result.baseline, 0), ratio, NumberText.fixed(result.byHand, 0), NumberText.fixed(result.byHand / result.baseline, 2))
                targets.append(
                    TargetCheck(
                        requirement:
                            "\(measured.label) ×\(NumberText.grouped(result.count)): troupe/baseline ≥ \(NumberText.fixed(measured.minimumRatio, 1))",
                        measured: "\(ratio); by hand with the same records: \(NumberText.fixed(result.byHand / result.baseline, 2))",
                        passed: result.ratio >= measured.minimumRatio))
            }
        }
        if !table.rows.isEmpty {
            for line in table.lines { print(line) }
            print("by hand: the baseline's design with Troupe's calls, events, reports and result (RecordingInstanceActor)\n")
        }
        return targets
    }

    /// Runs the memory benchmark, prints its table and returns its target.
    private func runMemory(_ sizes: BenchmarkSizes) async throws -> TargetCheck {
        let result = try await SuspendedMemoryBenchmark(instances: sizes.suspendedInstances).run()
        var table = ReportTable(
            title: "Resident memory per in-flight diamond10, all 8 branches suspended (\(NumberText.grouped(result.instances)) at once)",
            headers: ["measure", "troupe", "baseline", "troupe/baseline"])
        table.append("RSS per instance", NumberText.kibibytes(result.troupe), NumberText.kibibytes(result.baseline), NumberText.fixed(result.ratio, 2))
        table.append(
            "  (for reference: node actors and Troupe's records by hand)", NumberText.kibibytes(result.handWritten),
            NumberText.kibibytes(result.baseline), NumberText.fixed(result.handWritten / result.baseline, 2))
        printTable(table)
        return TargetCheck(
            requirement: "memory per suspended diamond10 ≤ 1.25× baseline",
            measured: "\(NumberText.fixed(result.ratio, 2)): \(NumberText.kibibytes(result.troupe)) vs \(NumberText.kibibytes(result.baseline))",
            passed: result.ratio <= 1.25)
    }

    /// Runs the parked-instance benchmark, prints its table and returns its targets.
    private func runParked(_ sizes: BenchmarkSizes) async throws -> [TargetCheck] {
        let result = try await ParkedMemoryBenchmark(instances: options.parkedInstances ?? sizes.parkedInstances).run()
        var table = ReportTable(
            title: "Resident memory per parked instance, first → wait or sleep → last (\(NumberText.grouped(result.instances)) at once)",
            headers: ["measure", "troupe", "bare suspended task", "troupe/task"])
        table.append(
            "RSS per instance parked at a wait node", NumberText.kibibytes(result.troupe), NumberText.kibibytes(result.baseline),
            NumberText.fixed(result.troupe / result.baseline, 2))
        table.append("  all signalled, then completed", NumberText.fixed(result.signalledAndCompleted.seconds * 1000, 0) + " ms", "", "")
        table.append(
            "RSS per instance parked at a sleep node", NumberText.kibibytes(result.sleeping), NumberText.kibibytes(result.baseline),
            NumberText.fixed(result.sleeping / result.baseline, 2))
        table.append("  all woken by the clock, then completed", NumberText.fixed(result.wokenAndCompleted.seconds * 1000, 0) + " ms", "", "")
        printTable(table)
        return [
            TargetCheck(
                requirement: "a parked instance costs ≤ 2 KiB resident", measured: NumberText.kibibytes(result.troupe), passed: result.troupe <= 2048),
            TargetCheck(
                requirement: "an instance parked at a sleep node costs ≤ 2 KiB resident", measured: NumberText.kibibytes(result.sleeping),
                passed: result.sleeping <= 2048),
        ]
    }

    /// Runs the built-in interceptors' fast paths against a no-op interceptor and prints their table.
    private func runResilience(_ callsPerRound: Int) async throws {
        let rounds = 9
        let result = try await ResilienceBenchmark(callsPerRound: callsPerRound, rounds: rounds).run()
        let reference = result[.noOp, default: 0]
        var table = ReportTable(
            title: "Built-in interceptors, fast path, called directly (\(NumberText.grouped(callsPerRound)) calls, best of \(rounds) rounds)",
            headers: ["interceptor", "ns per call", "added ns per call", "× no-op"])
        for variant in ResilienceVariant.allCases {
            let nanoseconds = result[variant, default: 0]
            table.append(
                variant.label, NumberText.fixed(nanoseconds, 0), variant == .noOp ? "—" : NumberText.fixed(nanoseconds - reference, 0),
                NumberText.fixed(nanoseconds / reference, 1))
        }
        printTable(table)
    }

    /// Runs the interceptor benchmark, prints its table and returns its target.
    private func runInterceptors(_ sizes: BenchmarkSizes) async throws -> [TargetCheck] {
        let result = try await InterceptorBenchmark(sizes: sizes).run()
        var table = ReportTable(
            title:
                "Node interceptors (chain\(sizes.interceptorChainLength) of inline nodes, one instance at a time, best of \(sizes.interceptorRounds) rounds)",
            headers: ["around every node", "ns per node call", "added ns per node call"])
        for variant in InterceptorVariant.allCases {
            table.append(
                variant.label, NumberText.fixed(result.nanosecondsPerNode[variant, default: 0], 0),
                variant == .none ? "—" : NumberText.fixed(result.added(by: variant), 0))
        }
        table.append("(for reference: the same by hand, actors and Troupe's records)", NumberText.fixed(result.handWritten, 0), "—")
        printTable(table)
        let added = result.added(by: .tenNoOps)
        let bare = result.nanosecondsPerNode[.none, default: 0]
        return [
            TargetCheck(
                requirement: "chain\(sizes.interceptorChainLength), no interceptors: ≤ 300 ns per node call",
                measured: "\(NumberText.fixed(bare, 0)) ns; by hand with the same records: \(NumberText.fixed(result.handWritten, 0)) ns",
                passed: bare <= 300),
            TargetCheck(
                requirement: "10 no-op interceptors add ≤ 1 µs per node call",
                measured: "\(NumberText.fixed(added, 0)) ns", passed: added <= 1_000),
        ]
    }

    /// Runs the plugin interceptor benchmark, prints its table and returns its target.
    private func runPluginInterceptor(_ sizes: BenchmarkSizes) async throws -> TargetCheck {
        let benchmark = PluginInterceptorBenchmark(sizes: sizes)
        let result = try await benchmark.run()
        let count = benchmark.interceptorsPerNode
        var table = ReportTable(
            title:
                "Plugin interceptors (chain\(sizes.interceptorChainLength) of inline nodes, one instance at a time, best of \(sizes.interceptorRounds) interleaved rounds)",
            headers: ["around every node", "ns per node call", "added ns per node call", "added: .so/compiled in"])
        table.append("0 interceptors", NumberText.fixed(result.none, 0), "—", "—")
        table.append(
            "\(count) no-op interceptors, compiled in", NumberText.fixed(result.compiledIn, 0),
            NumberText.fixed(result.addedCompiledIn, 0), "1.00")
        table.append(
            "\(count) no-op interceptors from \(NoOpPluginLibrary.fileName)", NumberText.fixed(result.fromPlugin, 0),
            NumberText.fixed(result.addedFromPlugin, 0), NumberText.fixed(result.ratio, 2))
        printTable(table)
        return TargetCheck(
            requirement: "a no-op interceptor from a .so adds ≤ 1.05× what it adds compiled in",
            measured:
                "\(NumberText.fixed(result.ratio, 2)): \(NumberText.fixed(result.addedFromPlugin, 0)) vs \(NumberText.fixed(result.addedCompiledIn, 0)) ns for \(count)",
            passed: result.ratio <= 1.05)
    }

    /// Runs the legacy middleware benchmark, prints its table and returns its target, which is on the 1-vs-1 comparison.
    private func runLegacy(_ sizes: BenchmarkSizes) async throws -> TargetCheck {
        let result = try await LegacyBenchmark(sizes: sizes).run()
        var table = ReportTable(
            title:
                "Legacy middleware (chain\(sizes.interceptorChainLength) of inline nodes, one instance at a time, best of \(sizes.interceptorRounds) interleaved rounds)",
            headers: ["around every node", "ns per node call", "added ns per node call", "added: legacy/native"])
        table.append("0 interceptors", NumberText.fixed(result.none, 0), "—", "—")
        for comparison in result.comparisons {
            table.append(comparison.nativeLabel, NumberText.fixed(comparison.native, 0), NumberText.fixed(result.addedByNative(comparison), 0), "—")
            table.append(
                comparison.legacyLabel, NumberText.fixed(comparison.legacy, 0),
                NumberText.fixed(result.addedByLegacy(comparison), 0), NumberText.fixed(result.ratio(comparison), 2))
        }
        printTable(table)
        guard let single = result.comparisons.first(where: { $0.count == 1 }) else { throw BenchmarkFailure(description: "legacy: no 1-vs-1 comparison") }
        let ratio = result.ratio(single)
        return TargetCheck(
            requirement: "1 legacy no-op middleware adds ≤ 1.5× what 1 native no-op interceptor adds",
            measured:
                "\(NumberText.fixed(ratio, 2)): \(NumberText.fixed(result.addedByLegacy(single), 0)) vs \(NumberText.fixed(result.addedByNative(single), 0)) ns",
            passed: ratio <= 1.5)
    }

    /// Runs the plugin loading benchmark, prints its table and returns its target.
    private func runPluginLoading() async throws -> TargetCheck {
        let result = try await PluginLoadingBenchmark(vetted: false).run()
        let vetted = try await PluginLoadingBenchmark(vetted: true).run()
        var table = ReportTable(
            title: "Plugin loading (\(result.plugins) copies of \(NoOpPluginLibrary.fileName) in a fresh directory, one loadPlugins call)",
            headers: ["measure", "in process", "vetted"])
        table.append("plugins loaded", NumberText.grouped(result.plugins), NumberText.grouped(vetted.plugins))
        table.append("wall time", NumberText.fixed(result.milliseconds, 1) + " ms", NumberText.fixed(vetted.milliseconds, 1) + " ms")
        table.append(
            "per plugin", NumberText.fixed(result.milliseconds / Double(result.plugins), 2) + " ms",
            NumberText.fixed(vetted.milliseconds / Double(vetted.plugins), 2) + " ms")
        table.append("vetting adds per plugin", "", NumberText.fixed((vetted.milliseconds - result.milliseconds) / Double(vetted.plugins), 2) + " ms")
        printTable(table)
        return TargetCheck(
            requirement: "loading \(result.plugins) plugins takes < 200 ms",
            measured: "\(NumberText.fixed(result.milliseconds, 1)) ms", passed: result.milliseconds < 200)
    }

    /// Prints a table and a blank line after it.
    private func printTable(_ table: ReportTable) {
        for line in table.lines { print(line) }
        print("")
    }
}
