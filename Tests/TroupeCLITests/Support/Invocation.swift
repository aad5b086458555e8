import Foundation
@_spi(Development) import Troupe

/// One run of the built `troupe` binary from the package root, its output captured in files so that
/// a chatty run never blocks on a full pipe and a test can read standard error while it runs.
///
/// Started with `posix_spawn`, not Foundation's `Process`: `Process.run()` of the toolchain's
/// Foundation (6.3.1) over-reads a `dirent` while it lists `/proc/self/fd` and now and then
/// crashes the whole test process (swift-corelibs-foundation pull request 5472).
final class Invocation: @unchecked Sendable {
    /// The child's process id.
    let processIdentifier: pid_t
    /// Where its standard output goes.
    private let outputFile: URL
    /// Where its standard error goes.
    private let errorFile: URL
    /// Finishes when the process exits; a stream because the exit may come before anyone waits.
    private let exit: AsyncStream<Void>
    /// Its `waitpid` status once it has exited.
    private let status = LockedValue<Int32?>(nil)

    /// Starts `troupe` with `arguments` and this process's environment plus `environment`; `scratch` holds the captured output.
    init(_ arguments: [String], scratch: Scratch, environment: [String: String] = [:]) throws {
        let name = UUID().uuidString
        outputFile = scratch.directory.appendingPathComponent("\(name).stdout")
        errorFile = scratch.directory.appendingPathComponent("\(name).stderr")
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        let executable = try TroupeExecutable.located().path
        // Never the user's own run store: `troupe run` records by default, so every test's default
        // store is in its scratch directory, whatever TROUPE_STORE says outside.
        var inherited = ProcessInfo.processInfo.environment
        inherited["TROUPE_STORE"] = nil
        inherited["XDG_DATA_HOME"] = scratch.directory.appendingPathComponent("data").path
        let variables = inherited.merging(environment) { _, new in new }.map { "\($0.key)=\($0.value)" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile.path, O_WRONLY | O_APPEND, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorFile.path, O_WRONLY | O_APPEND, 0)
        // From the package root: `env -C` changes directory and then execs troupe in its place
        // (glibc's `posix_spawn_file_actions_addchdir_np` is not visible to Swift here).
        let argv = (["/usr/bin/env", "-C", TroupeExecutable.packageRoot.path, executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        processIdentifier = pid
        let child = pid
        let (exit, continuation) = AsyncStream<Void>.makeStream()
        self.exit = exit
        // A thread of its own blocks in `waitpid`, as `Process` does, so no task thread is held.
        let status = status
        Thread {
            var raw: Int32 = 0
            while waitpid(child, &raw, 0) == -1 && errno == EINTR {}
            status.withLock { $0 = raw }
            continuation.finish()
        }.start()
    }

    /// Runs `troupe` with `arguments` to its end.
    static func run(_ arguments: [String], scratch: Scratch, environment: [String: String] = [:]) async throws -> Outcome {
        try await Invocation(arguments, scratch: scratch, environment: environment).finished()
    }

    /// What it has written to standard error so far.
    var standardErrorSoFar: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Whether it is still running.
    var isRunning: Bool { status.withLock { $0 == nil } }

    /// Sends it SIGINT, as Ctrl-C in a terminal would.
    func interrupt() { send(SIGINT) }

    /// Sends it `signal`, unless it has exited (its process id may then belong to another process).
    func send(_ signal: Int32) {
        if isRunning { kill(processIdentifier, signal) }
    }

    /// Waits for the exit and collects the output; when the test is cancelled first (its time
    /// limit), kills the process and throws `CancellationError`.
    func finished() async throws -> Outcome {
        for await _ in exit {}
        guard let raw = status.withLock({ $0 }) else {
            kill(processIdentifier, SIGKILL)
            throw CancellationError()
        }
        let signal = raw & 0x7f
        return Outcome(
            status: signal == 0 ? (raw >> 8) & 0xff : signal, exitedNormally: signal == 0,
            standardOutput: try String(contentsOf: outputFile, encoding: .utf8),
            standardError: try String(contentsOf: errorFile, encoding: .utf8))
    }
}
