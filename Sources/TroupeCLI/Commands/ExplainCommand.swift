import Troupe

/// `troupe explain`: how each node of a workflow would run: its interceptor chain, outermost
/// first, where each interceptor comes from and with what settings, and whether it runs inline.
struct ExplainCommand: Command {
    /// Selects the command.
    static let name = "explain"
    /// Shown in the usage.
    static let synopsis = "explain FILE [--plugin PATH…] [--plugins DIR…] [--json]"
    /// Shown in the usage and the help.
    static let summary = "Show each node's interceptor chain, its sources and settings, and why it runs inline or not."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
        \(PluginSelection.help)
        \(WorkflowFile.help)
          --json          print the explanation as JSON instead of text
          -h, --help      show this help

        For every node, in the file's order: its kind and executor's source, whether it runs
        inline (in the instance's own task) or in a task of its own when other nodes can run
        beside it (alone, it too runs in the instance's task) and why, then its chain,
        outermost first: runtime, workflow and node interceptors, then the node's retry and
        timeout, each with its source (built-in, host, or plugin name@version and its file),
        its config as written and the settings in force. Exits 2 when the workflow is invalid.
        """
    /// The options that take a value.
    static let options = PluginSelection.options.union(WorkflowFile.options)
    /// `--plugin` and `--plugins` may repeat.
    static let repeatableOptions: Set<String> = ["plugin", "plugins"]
    /// Flags it takes.
    static let flags: Set<String> = ["json"]

    /// The workflow file.
    let file: WorkflowFile
    /// The plugins whose components the workflow may name.
    let plugins: PluginSelection
    /// Whether to print JSON.
    let json: Bool

    /// Takes the file, the plugin options and `--json`.
    init(_ arguments: Arguments) throws(UsageError) {
        file = try WorkflowFile(arguments)
        plugins = try PluginSelection(arguments)
        json = arguments.has("json")
    }

    /// Prepares the workflow as `run` would, then prints each node's chain.
    func run() async -> ExitStatus {
        guard let definition = file.reportedDefinition() else { return .invalidInput }
        return await ScratchStore.withRuntime(for: definition) { explain(definition, runtime: $0) }
    }

    private func explain(_ definition: WorkflowDefinition, runtime: WorkflowRuntime) -> ExitStatus {
        guard plugins.load(into: runtime.registry) != nil else { return .invalidInput }
        let nodes: [NodeChainExplanation]
        do {
            nodes = try runtime.explain(definition)
        } catch {
            file.report(error)
            return .invalidInput
        }
        if json {
            Console.output(JSONWriter.write(.array(nodes.map(Self.json))))
        } else {
            Console.output(nodes.map(Self.text).joined(separator: "\n\n"))
        }
        return .success
    }

    private static func source(_ source: ComponentSource, file: String?) -> String {
        switch source {
        case .builtIn: return "built-in"
        case .host: return "host"
        case .plugin(let name, let version, _): return "plugin \(name)@\(version)" + (file.map { " (\($0))" } ?? "")
        }
    }

    private static func text(_ node: NodeChainExplanation) -> String {
        var lines = ["node \(node.node): kind \(node.kind) (\(source(node.executorSource, file: nil)) executor)"]
        lines.append("  runs \(node.runsInline ? "inline" : "in a task of its own beside other runnable nodes"): \(node.inlineReason)")
        if node.interceptors.isEmpty { lines.append("  no interceptors") }
        for (index, interceptor) in node.interceptors.enumerated() {
            lines.append("  \(index + 1). \(interceptor.name) [\(interceptor.placement), \(source(interceptor.source, file: interceptor.file))]")
            if interceptor.config != .null { lines.append("     config:   \(JSONWriter.write(interceptor.config, pretty: false))") }
            if let resolved = interceptor.resolved { lines.append("     settings: \(JSONWriter.write(resolved, pretty: false))") }
        }
        lines.append("  → \(node.kind)")
        return lines.joined(separator: "\n")
    }

    private static func json(_ node: NodeChainExplanation) -> JSONValue {
        [
            "node": .string(node.node), "kind": .string(node.kind), "executorSource": .string(source(node.executorSource, file: nil)),
            "runsInline": .bool(node.runsInline), "inlineReason": .string(node.inlineReason),
            "interceptors": .array(
                node.interceptors.map {
                    [
                        "name": .string($0.name), "placement": .string($0.placement), "source": .string(source($0.source, file: nil)),
                        "file": $0.file.map(JSONValue.string) ?? .null, "config": $0.config, "settings": $0.resolved ?? .null,
                        "neverSuspends": .bool($0.neverSuspends),
                    ]
                }),
        ]
    }
}
