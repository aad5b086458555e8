import Troupe

/// `troupe plugins`: loads the plugins named and prints what the registry holds.
struct PluginsCommand: Command {
    /// Selects the command.
    static let name = "plugins"
    /// Shown in the usage.
    static let synopsis = "plugins [--plugin PATH…] [--plugins DIR…] [--plugin-vetting probe|off]"
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
        selection = try PluginSelection(arguments)
    }

    /// Loads the plugins and prints the table.
    func run() async -> ExitStatus {
        let runtime = WorkflowRuntime()
        guard let failures = selection.load(into: runtime.registry, strict: false) else { return .invalidInput }
        let plugins = runtime.registry.plugins
        if plugins.isEmpty && failures.isEmpty { Console.output("no plugins loaded (give --plugin PATH, --plugins DIR or set TROUPE_PLUGIN_PATH)") }
        for plugin in plugins {
            Console.output(
                """
                \(plugin.name) \(plugin.version)  [\(plugin.status.rawValue), generation \(plugin.generation)]\(plugin.healthProblem.map { "  UNHEALTHY: \(Self.printable($0))" } ?? "")
                  \(Self.printable(plugin.summary))
                  provides: \(plugin.provides.map(\.description).joined(separator: ", "))
                  requires: \(plugin.requires.isEmpty ? "nothing" : plugin.requires.map { "\($0.name) \($0.versions)" }.joined(separator: ", "))
                  file:     \(Self.printable(plugin.file))
                  ABI:      \(plugin.abi.abiVersion), Swift \(plugin.abi.swiftVersion), \(plugin.abi.pointerSize * 8)-bit
                """)
        }
        for failure in failures { Console.output(Self.printable("FAILED \(failure.file)\(failure.plugin.map { " (\($0))" } ?? ""): \(failure.reason)")) }
        let others = runtime.registry.components.filter { if case .plugin = $0.source { false } else { true } }
        Console.output(Self.printable("also registered: " + others.map { "\($0.component) (\($0.source))" }.joined(separator: ", ")))
        return failures.isEmpty ? .success : .failure
    }

    /// `text` with control characters and line breaks escaped, so that nothing a plugin or a file
    /// name holds can move the cursor, recolour or forge a line; names are already restricted.
    private static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.generalCategory == .format
            if isControl { result += "\\u{\(String(scalar.value, radix: 16))}" } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }
}
