@_spi(Development) import Troupe

/// Prints a run's result on standard output exactly once: the run's own end and an exit forced by a
/// second signal may both try, and the one that comes second prints nothing.
final class ResultPrinter: Sendable {
    private let printed = LockedValue(false)

    /// Prints `result` unless a result was printed already; returns whether it printed.
    @discardableResult
    func print(_ result: WorkflowResult) -> Bool {
        printed.withLock { printed in
            guard !printed else { return false }
            Console.output(JSONWriter.write(result.commandLineJSON))
            printed = true
            return true
        }
    }
}
