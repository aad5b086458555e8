import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A spawned process in a process group of its own, so that killing it also kills what it started.
final class ChildProcess: Sendable {
    /// How a process ended and what it wrote.
    struct Termination: Sendable {
        let exitCode: Int32?
        let signal: Int32?
        let standardOutput: [UInt8]
        let standardError: [UInt8]
    }

    private let pid: pid_t
    private let outputDescriptor: Int32
    private let errorDescriptor: Int32
    /// Set once the process has exited but before it is reaped, so a kill never hits a reused pid.
    private let exited = LockedValue(false)

    init(_ command: ShellCommand) throws(ExecutionError) {
        var outputPipe: [Int32] = [0, 0]
        var errorPipe: [Int32] = [0, 0]
        guard pipe(&outputPipe) == 0 else { throw Self.failure("pipe", errno, command) }
        guard pipe(&errorPipe) == 0 else {
            close(outputPipe[0]); close(outputPipe[1])
            throw Self.failure("pipe", errno, command)
        }
        var inputPath: String?
        if let text = command.standardInput {
            let path = NSTemporaryDirectory() + "troupe-stdin-\(UUID().uuidString)"
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ExecutionError(type: "ShellSpawn", message: "cannot write standard input for \(command.displayName) to \(path)")
            }
            inputPath = path
        }
        defer { if let inputPath { unlink(inputPath) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        for descriptor in outputPipe + errorPipe { posix_spawn_file_actions_addclose(&actions, descriptor) }

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
        close(outputPipe[1])
        close(errorPipe[1])
        guard status == 0 else {
            close(outputPipe[0]); close(errorPipe[0])
            throw Self.failure("cannot run \(command.argv[0])", status, command)
        }
        self.pid = pid
        outputDescriptor = outputPipe[0]
        errorDescriptor = errorPipe[0]
    }

    private static func failure(_ what: String, _ code: Int32, _ command: ShellCommand) -> ExecutionError {
        ExecutionError(type: "ShellSpawn", message: "\(what): \(String(cString: strerror(code)))", details: ["command": .string(command.displayName)])
    }

    /// Reads both pipes to their end and waits for the exit on a thread of its own: blocking calls
    /// on Dispatch's shared pool would starve it when many shell nodes run at once.
    func wait() async -> Termination {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let (output, error) = Self.drain(self.outputDescriptor, self.errorDescriptor)
                let (exitCode, signal) = self.reap()
                continuation.resume(returning: Termination(exitCode: exitCode, signal: signal, standardOutput: output, standardError: error))
            }
        }
    }

    /// Kills the whole process group unless the process has already exited.
    func terminateGroup() {
        exited.withLock { exited in
            if !exited { _ = kill(-pid, SIGKILL) }
        }
    }

    private func reap() -> (exitCode: Int32?, signal: Int32?) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        exited.withLock { $0 = true }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let termination = status & 0x7f
        if termination == 0 { return ((status >> 8) & 0xff, nil) }
        return (nil, termination)
    }

    /// Reads two descriptors to their ends, whichever has data first, and closes them.
    private static func drain(_ first: Int32, _ second: Int32) -> ([UInt8], [UInt8]) {
        var collected: [[UInt8]] = [[], []]
        var descriptors = [pollfd(fd: first, events: Int16(POLLIN), revents: 0), pollfd(fd: second, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var open = 2
        while open > 0 {
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in descriptors.indices where descriptors[index].fd >= 0 && descriptors[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    collected[index].append(contentsOf: buffer[0..<count])
                } else if count == 0 || errno != EINTR {
                    close(descriptors[index].fd)
                    descriptors[index].fd = -1
                    open -= 1
                }
            }
        }
        for descriptor in descriptors where descriptor.fd >= 0 { close(descriptor.fd) }
        return (collected[0], collected[1])
    }
}
