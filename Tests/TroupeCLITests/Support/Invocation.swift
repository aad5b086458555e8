import Foundation

/// One run of the built `troupe` binary from the package root, its output captured in files so that
/// a chatty run never blocks on a full pipe and a test can read standard error while it runs.
final class Invocation {
    /// The child process.
    private let process = Process()
    /// Where its standard output goes.
    private let outputFile: URL
    /// Where its standard error goes.
    private let errorFile: URL
    /// Finishes when the process exits; a stream because the exit may come before anyone waits.
    private let exit: AsyncStream<Void>

    /// Starts `troupe` with `arguments` and this process's environment plus `environment`; `scratch` holds the captured output.
    init(_ arguments: [String], scratch: Scratch, environment: [String: String] = [:]) throws {
        let name = UUID().uuidString
        outputFile = scratch.directory.appendingPathComponent("\(name).stdout")
        errorFile = scratch.directory.appendingPathComponent("\(name).stderr")
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        process.executableURL = try TroupeExecutable.located()
        process.arguments = arguments
        // Never the user's own run store: `troupe run` records by default, so every test's default
        // store is in its scratch directory, whatever TROUPE_STORE says outside.
        var inherited = ProcessInfo.processInfo.environment
        inherited["TROUPE_STORE"] = nil
        inherited["XDG_DATA_HOME"] = scratch.directory.appendingPathComponent("data").path
        process.environment = inherited.merging(environment) { _, new in new }
        process.currentDirectoryURL = TroupeExecutable.packageRoot
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        let (exit, continuation) = AsyncStream<Void>.makeStream()
        self.exit = exit
        process.terminationHandler = { _ in continuation.finish() }
        try process.run()
    }

    /// Runs `troupe` with `arguments` to its end.
    static func run(_ arguments: [String], scratch: Scratch, environment: [String: String] = [:]) async throws -> Outcome {
        try await Invocation(arguments, scratch: scratch, environment: environment).finished()
    }

    /// What it has written to standard error so far.
    var standardErrorSoFar: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Whether it is still running.
    var isRunning: Bool { process.isRunning }

    /// Sends it SIGINT, as Ctrl-C in a terminal would.
    func interrupt() { process.interrupt() }

    /// Its process id.
    var processIdentifier: pid_t { process.processIdentifier }

    /// Sends it `signal`.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the exit and collects the output; when the test is cancelled first (its time
    /// limit), kills the process and throws `CancellationError`, because reading the status of a
    /// running process traps, which would end every other test of the run with it.
    func finished() async throws -> Outcome {
        for await _ in exit {}
        // The handler may run just before the process counts as exited: the flag flips right after.
        while process.isRunning && !Task.isCancelled { await Task.yield() }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            throw CancellationError()
        }
        return Outcome(
            status: process.terminationStatus, exitedNormally: process.terminationReason == .exit,
            standardOutput: try String(contentsOf: outputFile, encoding: .utf8),
            standardError: try String(contentsOf: errorFile, encoding: .utf8))
    }
}
