/// The `troupe` tool: picks the subcommand and turns usage errors into exit status 2.
enum Tool {
    /// The subcommands, in the order the usage lists them.
    static let commands: [any Command.Type] = [
        RunCommand.self, ValidateCommand.self, GraphCommand.self, ExplainCommand.self, PluginsCommand.self, StressCommand.self,
        RunsCommand.self, ShowCommand.self, ResumeCommand.self, CancelCommand.self, PauseCommand.self,
        SignalCommand.self,
    ]

    /// The tool's usage text.
    static var usage: String {
        let width = commands.map { $0.synopsis.count }.max() ?? 0
        let lines = commands.map { "  \($0.synopsis.padding(toLength: width, withPad: " ", startingAt: 0))   \($0.summary)" }
        return """
            USAGE: troupe COMMAND [OPTIONS]

            Runs, checks and draws Troupe workflows.

            COMMANDS:
            \(lines.joined(separator: "\n"))

            Run `troupe COMMAND --help` for a command's details.
            """
    }

    /// Runs the command line `words` (without the program name); `@concurrent` so that the runtime
    /// runs on the global executor, not on the main actor that calls it.
    @concurrent
    static func main(_ words: [String]) async -> ExitStatus {
        guard let name = words.first else {
            Console.error(usage)
            return .invalidInput
        }
        if name == "--help" || name == "-h" {
            Console.output(usage)
            return .success
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            Console.error("troupe: unknown command \(name)\n\n\(usage)")
            return .invalidInput
        }
        return await run(command, Array(words.dropFirst()))
    }

    /// Parses the subcommand's words and runs it, or shows its help.
    private static func run(_ command: any Command.Type, _ words: [String]) async -> ExitStatus {
        do {
            let arguments = try Arguments(words, options: command.options, repeatable: command.repeatableOptions, flags: command.flags)
            if arguments.wantsHelp {
                Console.output(command.help)
                return .success
            }
            return try await command.init(arguments).run()
        } catch {
            Console.error("troupe \(command.name): \(error.message)\nUSAGE: troupe \(command.synopsis)\nRun `troupe \(command.name) --help` for details.")
            return .invalidInput
        }
    }
}
