import Foundation
import Troupe

/// `troupe run`: runs one instance with progress on standard error and prints its result as JSON.
struct RunCommand: Command {
    /// Selects the command.
    static let name = "run"
    /// Shown in the usage.
    static let synopsis = "run FILE [--input JSON | --input @file] [--plugin PATH…] [--plugins DIR…] [--watch-plugins]"
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
          -h, --help      show this help

        Exits 0 when the instance completed, 1 when it failed, was cancelled or timed out,
        and 2 when the file, the workflow or the input is invalid (nothing runs then).
        Ctrl-C cancels the instance and still prints the partial result.
        """
    /// The options that take a value.
    static let options: Set<String> = PluginSelection.options.union(WorkflowFile.options).union(["input"])
    /// `--plugin` and `--plugins` may repeat.
    static let repeatableOptions: Set<String> = ["plugin", "plugins"]
    /// Flags it takes.
    static let flags: Set<String> = ["watch-plugins"]

    /// The workflow file.
    let file: WorkflowFile
    /// The `--input` value as given.
    let input: String?
    /// The plugins to load.
    let plugins: PluginSelection
    /// Whether to reload plugins whose files change.
    let watchesPlugins: Bool

    /// Takes the file and keeps `--input` raw: a bad input is invalid input (exit 2), not a usage error.
    init(_ arguments: Arguments) throws(UsageError) {
        file = try WorkflowFile(arguments)
        input = arguments[option: "input"]
        plugins = try PluginSelection(arguments)
        watchesPlugins = arguments.has("watch-plugins")
    }

    /// Runs the instance to its end, or until Ctrl-C cancels it.
    func run() async -> ExitStatus {
        let runtime = WorkflowRuntime()
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
        let handle = runtime.start(workflow, input: inputValue)
        let interruption = Interruption { handle.cancel() }
        defer { interruption.stop() }
        let watcher = watchesPlugins ? PluginWatcher(registry: runtime.registry) : nil
        defer { watcher?.stop() }
        let progress = Task { await reporter.report(handle.events) }
        // This task is never cancelled, so the wait always ends with the result.
        guard let result = try? await handle.result else { return .failure }
        await progress.value
        Console.output(JSONWriter.write(result.commandLineJSON))
        return result.status == .completed ? .success : .failure
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
