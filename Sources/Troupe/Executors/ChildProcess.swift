import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A spawned process in a process group of its own, so that killing it also kills what it started.
///
/// Every descriptor it opens is close-on-exec, so a process spawned at the same moment for another
/// node never holds this one's pipes open (which would keep it from ending until that one exits).
/// Waiting costs no thread of its own: ``ChildProcessReactor`` watches every process at once.
final class ChildProcess: Sendable {
    /// How a process ended and what it wrote.
    struct Termination: Sendable {
        let exitCode: Int32?
        let signal: Int32?
        let standardOutput: [UInt8]
        let standardError: [UInt8]
    }

    /// The read ends of the process's standard output and error, and its pidfd, which the reactor
    /// reads and closes.
    struct Descriptors: Sendable {
        let output: Int32
        let error: Int32
        let exit: Int32
    }

    private struct State {
        /// Set under the lock as the process is reaped, so a kill never hits a reused pid.
        var reaped = false
        /// Set when the group was killed: the reactor then stops waiting for the pipes' ends, which
        /// a process that left the group could hold open forever.
        var killed = false
    }

    let pid: pid_t
    let descriptors: Descriptors
    private let reactor: ChildProcessReactor
    private let state = LockedValue(State())

    init(_ command: ShellCommand) throws(ExecutionError) {
        guard RunningProcesses.beginSpawn() else {
            throw ExecutionError(type: "ShellSpawn", message: "cannot run \(command.argv[0]): the host is exiting")
        }
        do throws(LinuxSystemCalls.Failure) {
            reactor = try ChildProcessReactor.shared()
            (pid, descriptors) = try Self.spawn(command)
        } catch {
            RunningProcesses.endSpawn(nil)
            throw ExecutionError(
                type: "ShellSpawn", message: "cannot run \(command.argv[0]): \(error.message)",
                details: ["command": .string(command.displayName)])
        }
        RunningProcesses.endSpawn(self)
    }

    /// Waits until the process has exited and both pipes are at their end (or, once the group was
    /// killed, until the process has exited), reading them meanwhile. Called once.
    func wait() async -> Termination {
        await withCheckedContinuation { continuation in
            reactor.watch(self, continuation)
        }
    }

    /// Kills the whole process group unless the process has already been reaped.
    func terminateGroup() {
        let signalled = state.withLock { state -> Bool in
            guard !state.reaped else { return false }
            state.killed = true
            // Until reaped, the process (a zombie at worst) keeps its pid and group id from reuse.
            _ = kill(-pid, SIGKILL)
            return true
        }
        if signalled { reactor.wake() }
    }

    /// Whether ``terminateGroup()`` has killed the group.
    var wasKilled: Bool { state.withLock { $0.killed } }

    /// Collects the exit status of the process, which has exited; called by the reactor.
    func reap() -> (exitCode: Int32?, signal: Int32?) {
        let status = state.withLock { state -> Int32? in
            var status: Int32 = 0
            var reaped: pid_t
            repeat { reaped = waitpid(pid, &status, 0) } while reaped == -1 && errno == EINTR
            state.reaped = true
            RunningProcesses.remove(pid)
            // ECHILD: the host ignores SIGCHLD, so the kernel reaped it and kept no status.
            return reaped == pid ? status : nil
        }
        guard let status else { return (nil, nil) }
        let termination = status & 0x7f
        if termination == 0 { return ((status >> 8) & 0xff, nil) }
        return (nil, termination)
    }

    private static func spawn(_ command: ShellCommand) throws(LinuxSystemCalls.Failure) -> (pid_t, Descriptors) {
        var opened: [Int32] = []
        var keep = false
        defer { if !keep { for descriptor in opened { close(descriptor) } } }
        let output = try LinuxSystemCalls.closeOnExecPipe()
        opened += [output.read, output.write]
        let error = try LinuxSystemCalls.closeOnExecPipe()
        opened += [error.read, error.write]
        var input: Int32?
        if let text = command.standardInput {
            let descriptor = try LinuxSystemCalls.memoryFile(named: "troupe-stdin", holding: Array(text.utf8))
            opened.append(descriptor)
            input = descriptor
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        // dup2 clears close-on-exec on the copies, so only 0, 1 and 2 reach the program.
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, error.write, 2)
        // Nor any descriptor the host opened without close-on-exec.
        LinuxSystemCalls.closeDescriptors(from: 3, in: &actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)

        let argv = command.argv.map { strdup($0) } + [nil]
        let environment = command.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in environment { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, command.argv[0], &actions, &attributes, argv, environment)
        guard status == 0 else { throw LinuxSystemCalls.Failure(call: "posix_spawnp", code: status) }
        let exit: Int32
        do {
            exit = try LinuxSystemCalls.processDescriptor(pid)
        } catch {
            // Without a pidfd nothing could tell when it ends: stop it now rather than leak it.
            _ = kill(-pid, SIGKILL)
            var ignored: Int32 = 0
            while waitpid(pid, &ignored, 0) == -1 && errno == EINTR {}
            throw error
        }
        for descriptor in [output.write, error.write] + (input.map { [$0] } ?? []) { close(descriptor) }
        for descriptor in [output.read, error.read] { _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK) }
        keep = true
        return (pid, Descriptors(output: output.read, error: error.read, exit: exit))
    }
}
