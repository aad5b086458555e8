import Troupe

/// `troupe graph`: prints a workflow's DAG as Graphviz or Mermaid text.
struct GraphCommand: Command {
    /// Selects the command.
    static let name = "graph"
    /// Shown in the usage.
    static let synopsis = "graph FILE [--format dot|mermaid] [--max-file-size BYTES]"
    /// Shown in the usage and the help.
    static let summary = "Print the workflow's graph."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
          --format dot|mermaid   the graph language (default: dot)
        \(WorkflowFile.help)
          -h, --help             show this help

        Nodes show their id and kind; conditional edges are labelled with their condition.
        Render with `troupe graph FILE | dot -Tsvg > graph.svg`, or paste Mermaid into Markdown.
        """
    /// The options that take a value.
    static let options: Set<String> = WorkflowFile.options.union(["format"])

    /// The workflow file.
    let file: WorkflowFile
    /// The graph language.
    let format: GraphFormat

    /// Takes the file and the format.
    init(_ arguments: Arguments) throws(UsageError) {
        file = try WorkflowFile(arguments)
        let name = arguments[option: "format"] ?? GraphFormat.dot.rawValue
        guard let format = GraphFormat(rawValue: name) else {
            throw UsageError(message: "unknown format \(name) (expected \(GraphFormat.allCases.map(\.rawValue).joined(separator: " or ")))")
        }
        self.format = format
    }

    /// Prints the graph.
    func run() async -> ExitStatus {
        do {
            let definition = try file.definition()
            // Only the graph's shape is checked: a picture of a workflow whose kinds a host registers is still useful.
            try definition.validate()
            Console.output(format.render(definition))
            return .success
        } catch {
            file.report(error)
            return .invalidInput
        }
    }
}
