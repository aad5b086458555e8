import Foundation
@_spi(Development) import Troupe

/// `troupe run`: runs one instance with progress on standard error and prints its result as JSON.
struct RunCommand: Command {
    /// Selects the command.
    static let name = "run"
    /// Shown in the usage.
    static let synopsis = "run FILE [--input JSON | --input @file] [--plugin PATH…] [--plugins DIR…] [--watch-plugins] [--store PATH | --no-store]"
    /// Shown in the usage and the help.
    static let summary = "Run a workflow: progress on stderr, result JSON on stdout."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
          --input JSON    the workflow input, as JSON text (default: null)
          --input @file   the workflow input, read from a JSON file
        \(PluginSelection.help)
        \(WorkflowFile.help)
          --watch-plugins          reload a plugin when its file changes (checked twice a second);
                                   workflows started after that, such as child workflows, use it
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
    static let options: Set<String> = PluginSelection.options.union(WorkflowFile.options).union(["input"]).union(StoreSelection.options)
    /// `--plugin` and `--plugins` may repeat.
    static let repeatableOptions: Set<String> = ["plugin", "plugins"]
    /// Flags it takes.
    static let flags: Set<String> = ["watch-plugins", "no-store"]

    /// The workflow file.
    let file: WorkflowFile
    /// The `--input` value as given.
    let input: String?
    /// The plugins to load.
    let plugins: PluginSelection
    /// Whether to reload plugins whose files change.
    let watchesPlugins: Bool
    /// Where the run is recorded (durable execution, issue 11).
    let store: StoreSelection

    /// Takes the file and keeps `--input` raw: a bad input is invalid input (exit 2), not a usage error.
    init(_ arguments: Arguments) throws(UsageError) {
        file = try WorkflowFile(arguments)
        input = arguments[option: "input"]
        plugins = try PluginSelection(arguments)
        watchesPlugins = arguments.has("watch-plugins")
        store = try StoreSelection(arguments, allowsNone: true)
    }

    /// Runs the instance to its end, or until Ctrl-C cancels it.
    func run() async -> ExitStatus {
        // Durable execution (issue 11): the store, unless --no-store.
        var opened: SQLiteRunStore?
        if store.path != nil {
            guard let store = store.open(for: Self.name) else { return .invalidInput }
            opened = store
        }
        let status = await run(store: opened)
        await opened?.close()
        return status
    }

    private func run(store: SQLiteRunStore?) async -> ExitStatus {
        let runtime = WorkflowRuntime(store: store)
        guard plugins.load(into: runtime.registry) != nil else { return .invalidInput }
        let workflow: PreparedWorkflow
        do {
            workflow = try file.prepared(by: runtime)
        } catch {
            file.report(error)
            return .invalidInput
        }
        guard let inputValue = parsedInput() else { return .invalidInput }

        let reporter = ProgressReporter(nodeCount: workflow.definition.nodes.count, live: Console.errorIsTerminal)
        let observed = ObservedRun(workflow.definition)
        let printer = ResultPrinter()
        let started = LockedValue<WorkflowHandle?>(nil)
        let interruption: Interruption
        do {
            // Installed before the instance starts, so that no signal finds the default action.
            interruption = try Interruption(
                first: { _ in started.withLock { $0 }?.cancel() },
                later: { signals in Self.exitNow(after: signals, observed: observed, printer: printer) })
        } catch {
            Console.error("troupe run: cannot handle signals: \(error.message)")
            return .failure
        }
        let handle = runtime.start(workflow, input: inputValue)
        if let runID = handle.runID { Console.error("run \(runID)") }
        let requests = store.map { RunRequestWatcher(handle, store: $0) }
        defer { requests?.stop() }
        observed.begin(handle.id)
        started.withLock { $0 = handle }
        if interruption.firstSignal != nil { handle.cancel() }
        let watcher = watchesPlugins ? PluginWatcher(registry: runtime.registry) : nil
        defer { watcher?.stop() }
        Task { for await event in handle.events { observed.record(event) } }
        let progress = Task { await reporter.report(handle.events) }
        // This task is never cancelled, so the wait always ends with the result.
        guard let result = try? await handle.result else { return .failure }
        await progress.value
        printer.print(result)
        interruption.stop()
        if let signal = interruption.firstSignal { return ExitStatus(stoppedBy: signal) }
        return result.status == .completed ? .success : .failure
    }

    /// Exits at once on a signal after the first, whatever the nodes' code is doing, printing the
    /// partial result as far as the events have told it; the status is the first signal's, which
    /// is what stopped the run.
    private static func exitNow(after signals: [Int32], observed: ObservedRun, printer: ResultPrinter) -> Never {
        let unfinished = observed.unfinishedNodes
        Console.error(
            "■ \(Interruption.name(of: signals.last ?? SIGINT)) again: exiting"
                + (unfinished.isEmpty ? "" : " without waiting for \(unfinished.joined(separator: ", "))"))
        // The first signal's cancel may not have reached every shell node yet.
        RunningProcesses.terminateAll()
        // The instance starts right after the handler is installed; a signal in between waits for that.
        var partial = observed.partialResult()
        while partial == nil {
            sched_yield()
            partial = observed.partialResult()
        }
        if let partial { printer.print(partial) }
        _exit(ExitStatus(stoppedBy: signals.first ?? SIGINT).rawValue)
    }

    /// The workflow input: `null` when absent, else the JSON text or the file after `@`; `nil` after reporting why not.
    private func parsedInput() -> JSONValue? {
        guard let input else { return JSONValue.null }
        guard input.hasPrefix("@") else { return parsedInput(Array(input.utf8), from: "--input") }
        let path = String(input.dropFirst())
        let bytes: [UInt8]
        do {
            bytes = try CommandLineFile.contents(of: path, maximumSize: file.maximumSize)
        } catch {
            Console.error("--input: cannot read \(path): \(error.reason)")
            return nil
        }
        // The parser would take a stray byte for an odd character; say what is really wrong.
        guard String(validating: bytes, as: UTF8.self) != nil else {
            Console.error("--input: \(path) is not UTF-8 text")
            return nil
        }
        return parsedInput(bytes, from: path)
    }

    private func parsedInput(_ bytes: [UInt8], from source: String) -> JSONValue? {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            Console.error("\(source): malformed JSON at \(error)")
            return nil
        }
    }
}
