import Troupe

/// `troupe validate`: checks a workflow file against the built-in executors and interceptors.
struct ValidateCommand: Command {
    /// Selects the command.
    static let name = "validate"
    /// Shown in the usage.
    static let synopsis = "validate FILE"
    /// Shown in the usage and the help.
    static let summary = "Check a workflow and print every problem."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
          -h, --help      show this help

        Prints each problem on stderr as `path: message` and exits 2 when there is any;
        otherwise prints `FILE: valid (N nodes, M edges)` and exits 0.
        """
    /// The options that take a value.
    static let options: Set<String> = []

    /// The workflow file.
    let file: WorkflowFile

    /// Takes the file.
    init(_ arguments: Arguments) throws(UsageError) {
        file = WorkflowFile(path: try arguments.singleOperand("FILE"))
    }

    /// Validates and prepares the workflow, as `run` would before starting it.
    func run() async -> ExitStatus {
        do {
            let definition = try file.prepared(by: WorkflowRuntime()).definition
            Console.output("\(file.path): valid (\(definition.nodes.count) nodes, \(definition.edges.count) edges)")
            return .success
        } catch {
            file.report(error)
            return .invalidInput
        }
    }
}
