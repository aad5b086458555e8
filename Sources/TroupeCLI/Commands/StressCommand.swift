import Foundation
@_spi(Development) import Troupe
import TroupeTesting

/// `troupe stress`: runs many instances of a workflow with faults injected, checks every instance's
/// invariants and reports throughput, latency, statuses and memory.
struct StressCommand: Command {
    /// Selects the command.
    static let name = "stress"
    /// Shown in the usage.
    static let synopsis =
        "stress FILE [--instances N] [--concurrency K] [--duration T] [--seed S] [--input JSON|@file] [--plugin PATH…] [--reload-plugins S] [--store PATH] [--json]"
    /// Shown in the usage and the help.
    static let summary = "Stress a workflow: many instances, faults injected, invariants checked."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
          --instances N     how many instances to run (default 1000)
          --concurrency K   how many to keep in flight at once (default 64)
          --duration T      instead of N instances, keep K in flight for T seconds
          --seed S          seeds the driver's faults and every instance's chaos stream (default 1);
                            the same seed replays the same faults
        \(InputOption.help)
          --cancel F        cancel this fraction of the instances while they run (default 0.05)
          --pause F         pause and resume this fraction of the instances (default 0.05)
          --deadline F      run this fraction with a 1 ms deadline, which most hit (default 0.02)
          --reload-plugins S  reload every loaded plugin each S seconds while instances run, the
                            first time at once; a plugin whose reload fails (as at the cap of 8
                            generations a process may map) keeps serving and is reported
          --store PATH      record every instance as a durable run in this store (default: none,
                            in memory) and check that each stored run agrees with its result
          --json            print the report as one JSON object on stdout
        \(PluginSelection.help)
        \(WorkflowFile.help)
          -h, --help        show this help

        Checked for every instance: exactly one terminal status; the event stream gapless and
        ordered, ending with exactly one final event; every node's transitions legal; every
        completed node's output present; the counts adding up; with --store, the stored run's
        status, error type, outputs, completed attempts and history agreeing. After the run, resident memory
        must come back to within 64 MiB of where it started (the leak check).

        On a terminal, a status line shows progress on stderr; a table of the results follows
        there. Exits 0 when every invariant held, 1 when one did not or the leak check failed,
        and 2 when the command line, the file, the workflow or the input is invalid.
        """
    /// The options that take a value.
    static let options: Set<String> = PluginSelection.options.union(WorkflowFile.options).union([
        "instances", "concurrency", "duration", "seed", "input", "cancel", "pause", "deadline", "reload-plugins", "store",
    ])
    /// `--plugin` and `--plugins` may repeat.
    static let repeatableOptions: Set<String> = ["plugin", "plugins"]
    /// Flags it takes.
    static let flags: Set<String> = ["json"]

    /// The workflow file.
    let file: WorkflowFile
    /// The plugins to load.
    let plugins: PluginSelection
    /// The driver's options, input still as text.
    let options: StressOptions
    /// The `--input` value as given.
    let input: InputOption
    /// Whether to print the report as JSON.
    let printsJSON: Bool
    /// The store to record runs in; none unless `--store` names one (a stress run must not fill the user's store).
    let store: StoreSelection

    /// Reads every option; a bad number is a usage error.
    init(_ arguments: Arguments) throws(UsageError) {
        file = try WorkflowFile(arguments)
        plugins = try PluginSelection(arguments)
        input = InputOption(arguments)
        printsJSON = arguments.has("json")
        store = StoreSelection(path: arguments[option: "store"])
        var options = StressOptions(cancelFraction: 0.05, pauseFraction: 0.05, deadlineFraction: 0.02)
        if let text = arguments[option: "instances"] { options.instances = try Self.count(text, for: "--instances") }
        if let text = arguments[option: "concurrency"] { options.concurrency = try Self.count(text, for: "--concurrency") }
        if let text = arguments[option: "duration"] {
            guard let seconds = Double(text), seconds > 0, seconds <= 1_000_000 else {
                throw UsageError(message: "--duration needs a number of seconds above 0, at most 1000000 (found \(text))")
            }
            options.duration = .nanoseconds(Int64(seconds * 1e9))
        }
        if let text = arguments[option: "seed"] {
            guard let seed = UInt64(text) else { throw UsageError(message: "--seed needs an integer from 0 to \(UInt64.max) (found \(text))") }
            options.seed = seed
        }
        if let text = arguments[option: "reload-plugins"] {
            guard let seconds = Double(text), seconds >= 0.001, seconds <= 1_000_000 else {
                throw UsageError(message: "--reload-plugins needs a number of seconds from 0.001 to 1000000 (found \(text))")
            }
            options.pluginReloadInterval = .nanoseconds(Int64(seconds * 1e9))
        }
        if let text = arguments[option: "cancel"] { options.cancelFraction = try Self.fraction(text, for: "--cancel") }
        if let text = arguments[option: "pause"] { options.pauseFraction = try Self.fraction(text, for: "--pause") }
        if let text = arguments[option: "deadline"] { options.deadlineFraction = try Self.fraction(text, for: "--deadline") }
        guard options.cancelFraction + options.pauseFraction + options.deadlineFraction <= 1 else {
            throw UsageError(message: "--cancel, --pause and --deadline must add up to at most 1")
        }
        self.options = options
    }

    private static func count(_ text: String, for option: String) throws(UsageError) -> Int {
        guard let number = Int(text), number > 0, number <= 100_000_000 else {
            throw UsageError(message: "\(option) needs a whole number from 1 to 100000000 (found \(text))")
        }
        return number
    }

    private static func fraction(_ text: String, for option: String) throws(UsageError) -> Double {
        guard let number = Double(text), number >= 0, number <= 1 else {
            throw UsageError(message: "\(option) needs a fraction from 0 to 1 (found \(text))")
        }
        return number
    }

    /// Runs the stress test and reports.
    func run() async -> ExitStatus {
        await store.whileOpen(for: Self.name) { await run(store: $0) }
    }

    private func run(store: SQLiteRunStore?) async -> ExitStatus {
        let runtime = WorkflowRuntime(store: store)
        guard plugins.load(into: runtime.registry) != nil else { return .invalidInput }
        var options = options
        guard let inputValue = input.value(maximumSize: file.maximumSize) else { return .invalidInput }
        options.input = inputValue
        let stress: StressRun
        do {
            stress = try StressRun(runtime: runtime, workflow: try file.prepared(by: runtime), options: options)
        } catch {
            file.report(error)
            return .invalidInput
        }
        let started = ContinuousClock.now
        let statusLine = Console.errorIsTerminal ? Task { await Self.showProgress(of: stress, since: started) } : nil
        let report = await stress.run()
        statusLine?.cancel()
        await statusLine?.value
        if statusLine != nil { Console.errorRaw("\r\u{1B}[K") }
        Console.error(report.table)
        if printsJSON { Console.output(JSONWriter.write(report.json, pretty: false)) }
        return report.passed ? .success : .failure
    }

    /// Redraws the status line four times a second until cancelled.
    private static func showProgress(of stress: StressRun, since start: ContinuousClock.Instant) async {
        while !Task.isCancelled {
            let progress = stress.progress
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let rate = seconds > 0 ? Double(progress.done) / seconds : 0
            let resident = Double(ResidentMemory.current) / 1_048_576
            Console.errorRaw(
                "\r\u{1B}[K" + "done \(progress.done)  in flight \(progress.inFlight)  \(String(format: "%.0f", rate))/s  "
                    + "errors \(progress.errors)  violations \(progress.violations)  RSS \(String(format: "%.1f", resident)) MiB")
            try? await Task.sleep(for: .milliseconds(250))
        }
    }
}
