/// `troupe pause RUN`.
struct PauseCommand: Command {
    /// Selects the command.
    static let name = "pause"
    /// Shown in the usage.
    static let synopsis = "pause RUN"
    /// Shown in the usage and the help.
    static let summary = "Pause a recorded run; `troupe resume RUN` goes on, from any process."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
        \(StoreSelection.help)
          -h, --help      show this help
        """
    /// The options that take a value.
    static let options: Set<String> = StoreSelection.options

    let control: RunControl

    /// Checks the options.
    init(_ arguments: Arguments) throws(UsageError) {
        control = RunControl(action: "pause", store: try StoreSelection(arguments), id: try StoreSelection.runID(arguments))
    }

    /// Pauses or asks.
    func run() async -> ExitStatus { await control.run() }
}
