/// `troupe cancel RUN`.
struct CancelCommand: Command {
    /// Selects the command.
    static let name = "cancel"
    /// Shown in the usage.
    static let synopsis = "cancel RUN"
    /// Shown in the usage and the help.
    static let summary = "Cancel a recorded run (the process running it stops it)."
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
        control = RunControl(action: "cancel", store: try StoreSelection(arguments), id: try StoreSelection.runID(arguments))
    }

    /// Cancels or asks.
    func run() async -> ExitStatus { await control.run() }
}
