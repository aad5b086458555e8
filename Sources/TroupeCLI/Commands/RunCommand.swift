import Foundation
@_spi(Development) import Troupe

/// `troupe run`: runs one instance with progress on standard error and prints its result as JSON.
struct RunCommand: Command {
    /// Selects the command.
    static let name = "run"
    /// Shown in the usage.
    static let synopsis =
        "run FILE [--input JSON | --input @file] [--plugin PATH…] [--plugins DIR…] [--watch-plugins] [--metrics FILE] [--trace FILE] [--verbose] [--store PATH | --no-store]"
    /// Shown in the usage and the help.
    static let summary = "Run a workflow: progress on stderr, result JSON on stdout."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
        \(InputOption.help)
        \(PluginSelection.help)
        \(WorkflowFile.help)
          --watch-plugins          reload a plugin when its file changes (checked twice a second);
                                   workflows started after that, such as child workflows, use it
          --metrics FILE  write the run's metrics there at the end, in the Prometheus text format
                          (written to a temporary file, then renamed: fit for node_exporter's textfile collector)
          --trace FILE    write the run's timeline there at the end, as Chrome Trace Event JSON
                          (open it in https://ui.perfetto.dev or chrome://tracing); shell nodes
                          see their span as TRACEPARENT
          --verbose       on stderr: each interceptor's entry and exit for every node call, and
                          the runtime's diagnostics (plugin loads, reloads and failures)
        \(StoreSelection.help)
          --no-store      record nothing: the run lives in memory only
          -h, --help      show this help

        The run is recorded in the store (its id is printed on stderr as `run ID`): every node's
        completion is committed before it is reported, and after a crash `troupe resume ID` goes on
        without running completed nodes again.

        Exits 0 when the instance completed, 1 when it failed, was cancelled or timed out,
        and 2 when the file, the workflow or the input is invalid (nothing runs then).
        SIGINT (Ctrl-C) or SIGTERM cancels the instance (running shell processes are killed),
        prints the partial result and exits 130 or 143; a second one exits at once with the
        result as far as it is known.
        """
    /// The options that take a value.
    static let options: Set<String> = PluginSelection.options.union(WorkflowFile.options).union(["input", "metrics", "trace"]).union(
        StoreSelection.options)
    /// `--plugin` and `--plugins` may repeat.
    static let repeatableOptions: Set<String> = ["plugin", "plugins"]
    /// Flags it takes.
    static let flags: Set<String> = ["watch-plugins", "verbose", "no-store"]

    /// The workflow file.
    let file: WorkflowFile
    /// The `--input` value as given.
    let input: InputOption
    /// The plugins to load.
    let plugins: PluginSelection
    /// Whether to reload plugins whose files change.
    let watchesPlugins: Bool
    /// Where to write the metrics, if anywhere.
    let metricsPath: String?
    /// Where to write the trace, if anywhere.
    let tracePath: String?
    /// Whether to report interceptor crossings and diagnostics.
    let verbose: Bool
    /// Where the run is recorded (durable execution, issue 11).
    let store: StoreSelection

    /// Takes the file, the options and the flag.
    init(_ arguments: Arguments) throws(UsageError) {
        file = try WorkflowFile(arguments)
        input = InputOption(arguments)
        plugins = try PluginSelection(arguments)
        watchesPlugins = arguments.has("watch-plugins")
        metricsPath = arguments[option: "metrics"]
        tracePath = arguments[option: "trace"]
        verbose = arguments.has("verbose")
        store = try StoreSelection(arguments, allowsNone: true)
    }

    /// Runs the instance to its end, or until Ctrl-C cancels it.
    func run() async -> ExitStatus {
        // The store, unless --no-store.
        await store.whileOpen(for: Self.name) { await run(store: $0) }
    }

    private func run(store: SQLiteRunStore?) async -> ExitStatus {
        let runtime = WorkflowRuntime(store: store)
        // Attached first, so that every instance is counted, child workflows included.
        let metrics = metricsPath.map { _ in runtime.metrics }
        let trace = tracePath.map { _ in runtime.recordTrace() }
        if verbose {
            runtime.attach(logging: StandardErrorLogSink(logLevel: .debug))
            // Before the workflow is prepared: only chains composed afterwards report.
            runtime.reportInterceptorCrossings { Console.error($0.line) }
        }
        guard plugins.load(into: runtime.registry) != nil else { return .invalidInput }
        let workflow: PreparedWorkflow
        do {
            workflow = try file.prepared(by: runtime)
        } catch {
            file.report(error)
            return .invalidInput
        }
        guard let inputValue = input.value(maximumSize: file.maximumSize) else { return .invalidInput }

        let reporter = ProgressReporter(nodeCount: workflow.definition.nodes.count, live: Console.errorIsTerminal)
        let interruptible: InterruptibleRuns
        do {
            // Installed before the instance starts, so that no signal finds the default action.
            interruptible = try InterruptibleRuns(single: true)
        } catch {
            Console.error("troupe run: cannot handle signals: \(error.message)")
            return .failure
        }
        let handle = runtime.start(workflow, input: inputValue)
        if let runID = handle.runID { Console.error("run \(runID)") }
        interruptible.watch(handle, definition: workflow.definition)
        let watcher = watchesPlugins ? PluginWatcher(registry: runtime.registry) : nil
        defer { watcher?.stop() }
        let progress = Task { await reporter.report(handle.events) }
        // This task is never cancelled, so the wait always ends with the result.
        guard let result = try? await handle.result else { return .failure }
        await progress.value
        interruptible.finish(printing: result.commandLineJSON)
        var written = true
        if let metricsPath, let metrics { written = Self.write(Array(metrics.prometheusText().utf8), to: metricsPath, what: "metrics") }
        if let tracePath, let trace {
            written = Self.write(Array(JSONWriter.write(trace.chromeTraceJSON(), pretty: false).utf8), to: tracePath, what: "trace") && written
        }
        if let stopped = interruptible.stoppedStatus { return stopped }
        return result.status == .completed && written ? .success : .failure
    }

    /// Writes an output file atomically; says why not and returns `false` when it cannot.
    private static func write(_ bytes: [UInt8], to path: String, what: String) -> Bool {
        do {
            try CommandLineFile.replace(path, with: bytes)
            return true
        } catch {
            Console.error("troupe run: cannot write the \(what) to \(path): \(error.reason)")
            return false
        }
    }
}
