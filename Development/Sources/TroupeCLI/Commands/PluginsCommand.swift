import Troupe

/// `troupe plugins`: loads the plugins named and prints what the registry holds.
struct PluginsCommand: Command {
    /// Selects the command.
    static let name = "plugins"
    /// Shown in the usage.
    static let synopsis = "plugins [--plugin PATH…] [--plugins DIR…]"
    /// Shown in the usage and the help.
    static let summary = "Load plugins and list them: version, components, file, ABI, status, errors."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
        \(PluginSelection.help)
          -h, --help               show this help

        Prints one block per plugin, then every file that failed with its reason, then the
        built-in and host components. Exits 0 when every plugin loaded, 1 when any failed.
        """
    /// The options that take a value.
    static let options = PluginSelection.options
    /// `--plugin` and `--plugins` may repeat.
    static let repeatableOptions: Set<String> = ["plugin", "plugins"]

    /// The plugins to load.
    let selection: PluginSelection

    /// Takes the plugin options; there are no operands.
    init(_ arguments: Arguments) throws(UsageError) {
        try arguments.noOperands()
        selection = PluginSelection(arguments)
    }

    /// Loads the plugins and prints the table.
    func run() async -> ExitStatus {
        let runtime = WorkflowRuntime()
        guard let failures = selection.load(into: runtime.registry) else { return .invalidInput }
        let plugins = runtime.registry.plugins
        if plugins.isEmpty && failures.isEmpty { Console.output("no plugins loaded (give --plugin PATH, --plugins DIR or set TROUPE_PLUGIN_PATH)") }
        for plugin in plugins {
            Console.output("""
                \(plugin.name) \(plugin.version)  [\(plugin.status.rawValue), generation \(plugin.generation)]\(plugin.healthProblem.map { "  UNHEALTHY: \($0)" } ?? "")
                  \(plugin.summary)
                  provides: \(plugin.provides.map(\.description).joined(separator: ", "))
                  requires: \(plugin.requires.isEmpty ? "nothing" : plugin.requires.map { "\($0.name) \($0.versions)" }.joined(separator: ", "))
                  file:     \(plugin.file)
                  ABI:      \(plugin.abi.abiVersion), Swift \(plugin.abi.swiftVersion), \(plugin.abi.pointerSize * 8)-bit
                """)
        }
        for failure in failures { Console.output("FAILED \(failure.file)\(failure.plugin.map { " (\($0))" } ?? ""): \(failure.reason)") }
        let others = runtime.registry.components.filter { if case .plugin = $0.source { false } else { true } }
        Console.output("also registered: " + others.map { "\($0.component) (\($0.source))" }.joined(separator: ", "))
        return failures.isEmpty ? .success : .failure
    }
}
