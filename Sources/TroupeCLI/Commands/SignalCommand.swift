@_spi(Development) import Troupe

/// `troupe signal RUN NAME JSON`: sends a signal to a recorded run's `wait` nodes; the process
/// running it delivers it, and a run resumed after a crash still gets it.
struct SignalCommand: Command {
    /// Selects the command.
    static let name = "signal"
    /// Shown in the usage.
    static let synopsis = "signal RUN NAME JSON"
    /// Shown in the usage and the help.
    static let summary = "Send a signal to a recorded run's wait nodes (the process running it delivers it)."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
        \(StoreSelection.help)
          -h, --help      show this help

        NAME is a wait node's signal (its config.signal, by default its id); JSON is the value the
        node outputs, as JSON text (a string needs its quotes: '"yes"'). The signal is recorded in the
        store; the process that owns the run delivers it within a poll (a quarter of a second), and a
        run resumed after a crash, or a paused one resumed later, still gets it.

        Exits 0 once the signal is recorded, 1 when the run is unknown or has ended, or its workflow
        has no wait node for NAME, and 2 when the command line or the store is unusable.
        """
    /// The options that take a value.
    static let options: Set<String> = StoreSelection.options

    let store: StoreSelection
    let id: RunID
    let signal: String
    let value: JSONValue

    /// Checks the operands.
    init(_ arguments: Arguments) throws(UsageError) {
        store = try StoreSelection(arguments)
        let operands = try arguments.operands("RUN", "NAME", "JSON")
        guard let id = RunID(operands[0]) else {
            throw UsageError(message: "\(operands[0]) is not a run id (26 characters, as troupe runs lists them)")
        }
        self.id = id
        guard !operands[1].isEmpty else { throw UsageError(message: "NAME must not be empty") }
        signal = operands[1]
        do {
            value = try JSONParser.parse(operands[2])
        } catch {
            throw UsageError(message: "JSON: malformed JSON at \(error) (a string needs its quotes: '\"yes\"')")
        }
    }

    /// Records the signal for the process that owns the run.
    func run() async -> ExitStatus {
        await store.using(for: Self.name) { store in
            let runtime = WorkflowRuntime(store: store)
            switch try await runtime.signal(id, signal, value) {
            case .delivered: Console.output("delivered signal \(signal) to \(id)")
            case .recorded: Console.output("recorded signal \(signal) for \(id)")
            }
            return .success
        }
    }
}
