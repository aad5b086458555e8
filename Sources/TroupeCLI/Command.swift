/// A `troupe` subcommand: it reads its own arguments and reports through its exit status.
protocol Command: Sendable {
    /// The word that selects it, such as `run`.
    static var name: String { get }
    /// Its synopsis line, shown in the tool's usage.
    static var synopsis: String { get }
    /// What it does, in one line.
    static var summary: String { get }
    /// Its options and details, shown by `--help`.
    static var details: String { get }
    /// The options (without dashes) that take a value.
    static var options: Set<String> { get }
    /// Those of the options that may be given more than once.
    static var repeatableOptions: Set<String> { get }
    /// The options (without dashes) that take no value.
    static var flags: Set<String> { get }

    /// Checks the arguments without touching files, so usage errors come before any work.
    init(_ arguments: Arguments) throws(UsageError)

    /// Does the work.
    func run() async -> ExitStatus
}

extension Command {
    /// Most commands take every option once.
    static var repeatableOptions: Set<String> { [] }

    /// Most commands take no flags.
    static var flags: Set<String> { [] }

    /// The full help text.
    static var help: String {
        "USAGE: troupe \(synopsis)\n\n\(summary)\n\n\(details)"
    }
}
