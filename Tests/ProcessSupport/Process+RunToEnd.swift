import Foundation

extension Process {
    /// Starts the process and returns its termination status once it has exited, without holding a
    /// thread of the cooperative pool meanwhile (`waitUntilExit` would).
    ///
    /// When the test is cancelled first (its time limit), it kills the process and throws
    /// `CancellationError`: reading the status of a running process traps, which would end every
    /// other test of the run with it.
    public func runToEnd() async throws -> Int32 {
        let (exit, finished) = AsyncStream<Void>.makeStream()
        terminationHandler = { _ in finished.finish() }
        try run()
        for await _ in exit {}
        // The handler may run just before the process counts as exited: the flag flips right after.
        while isRunning && !Task.isCancelled { await Task.yield() }
        guard !isRunning else {
            kill(processIdentifier, SIGKILL)
            throw CancellationError()
        }
        return terminationStatus
    }
}
