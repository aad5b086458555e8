import Troupe

/// `troupe validate`: checks a workflow file against the built-in executors and interceptors and those of the plugins named.
struct ValidateCommand: Command {
    /// Selects the command.
    static let name = "validate"
    /// Shown in the usage.
    static let synopsis = "validate FILE [--plugin PATH…] [--plugins DIR…] [--max-file-size BYTES]"
    /// Shown in the usage and the help.
    static let summary = "Check a workflow and print every problem."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
        \(PluginSelection.help)
        \(WorkflowFile.help)
          -h, --help      show this help

        Prints each problem on stderr as `path: message` and exits 2 when there is any;
        otherwise prints `FILE: valid (N nodes, M edges)` and exits 0.
        """
    /// The options that take a value.
    static let options = PluginSelection.options.union(WorkflowFile.options)
    /// `--plugin` and `--plugins` may repeat.
    static let repeatableOptions: Set<String> = ["plugin", "plugins"]

    /// The workflow file.
    let file: WorkflowFile
    /// The plugins whose components the workflow may name.
    let plugins: PluginSelection

    /// Takes the file and the plugin options.
    init(_ arguments: Arguments) throws(UsageError) {
        file = try WorkflowFile(arguments)
        plugins = try PluginSelection(arguments)
    }

    /// Validates and prepares the workflow, as `run` would before starting it.
    func run() async -> ExitStatus {
        guard let definition = file.reportedDefinition() else { return .invalidInput }
        return await ScratchStore.withRuntime(for: definition) { validate(definition, runtime: $0) }
    }

    private func validate(_ definition: WorkflowDefinition, runtime: WorkflowRuntime) -> ExitStatus {
        guard plugins.load(into: runtime.registry) != nil else { return .invalidInput }
        do {
            _ = try runtime.prepare(definition)
            Console.output("\(file.path): valid (\(definition.nodes.count) nodes, \(definition.edges.count) edges)")
            return .success
        } catch {
            file.report(error)
            return .invalidInput
        }
    }
}
