#if canImport(Glibc)
    import Glibc
#endif

/// The one thread that waits on every running child process: it polls each process's pidfd and the
/// read ends of its pipes, so any number of running shell nodes costs one thread, and no blocking
/// call ever sits on the cooperative pool or on Dispatch's.
///
/// A process ends when it has exited and both its pipes are at their end, as a shell's `$(…)`
/// would see it; once its group was killed, as soon as it has exited, because a process that left
/// the group could hold the pipes open for ever.
final class ChildProcessReactor: Sendable {
    private struct Registration: Sendable {
        let process: ChildProcess
        let continuation: CheckedContinuation<ChildProcess.Termination, Never>
    }

    /// One watched process, owned by the reactor's thread; a descriptor is -1 once closed.
    private struct Watch {
        let registration: Registration
        var output: Int32
        var error: Int32
        var exit: Int32
        var standardOutput: [UInt8] = []
        var standardError: [UInt8] = []

        init(_ registration: Registration) {
            self.registration = registration
            output = registration.process.descriptors.output
            error = registration.process.descriptors.error
            exit = registration.process.descriptors.exit
        }

        var isFinished: Bool { exit < 0 && ((output < 0 && error < 0) || registration.process.wasKilled) }
    }

    private enum Stream {
        case output, error, exit
    }

    private static let instance = LockedValue<ChildProcessReactor?>(nil)

    /// Processes handed over since the thread last looked.
    private let arrivals = LockedValue<[Registration]>([])
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// The process-wide reactor, its thread started on first use.
    static func shared() throws(LinuxSystemCalls.Failure) -> ChildProcessReactor {
        try instance.withLock { (existing: inout ChildProcessReactor?) throws(LinuxSystemCalls.Failure) -> ChildProcessReactor in
            if let existing { return existing }
            let wake = try LinuxSystemCalls.closeOnExecPipe()
            let reactor = ChildProcessReactor(wakeRead: wake.read, wakeWrite: wake.write)
            do throws(LinuxSystemCalls.Failure) {
                try reactor.start()
            } catch {
                close(wake.read)
                close(wake.write)
                throw error
            }
            existing = reactor
            return reactor
        }
    }

    private init(wakeRead: Int32, wakeWrite: Int32) {
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
        for descriptor in [wakeRead, wakeWrite] { _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK) }
    }

    /// Starts reading `process`'s pipes and resumes `continuation` when it has ended.
    func watch(_ process: ChildProcess, _ continuation: CheckedContinuation<ChildProcess.Termination, Never>) {
        arrivals.withLock { $0.append(Registration(process: process, continuation: continuation)) }
        wake()
    }

    /// Makes the thread look again: at new processes, and at killed ones it need not drain.
    func wake() {
        var byte: UInt8 = 1
        // A full pipe (EAGAIN) already holds a wake-up.
        _ = write(wakeWrite, &byte, 1)
    }

    private func start() throws(LinuxSystemCalls.Failure) {
        // The reactor lives as long as the process: its thread holds it for ever.
        try LinuxSystemCalls.startThread { self.run() }
    }

    private func run() -> Never {
        var watches: [Watch] = []
        var polled: [pollfd] = []
        var owners: [(watch: Int, stream: Stream)] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            polled.removeAll(keepingCapacity: true)
            owners.removeAll(keepingCapacity: true)
            polled.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            for (index, watch) in watches.enumerated() {
                for (stream, descriptor) in [(Stream.output, watch.output), (.error, watch.error), (.exit, watch.exit)] where descriptor >= 0 {
                    polled.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0))
                    owners.append((index, stream))
                }
            }
            // EINTR is the only failure valid descriptors allow; the loop simply polls again.
            guard poll(&polled, nfds_t(polled.count), -1) > 0 else { continue }
            for (offset, owner) in owners.enumerated() where polled[offset + 1].revents != 0 {
                handle(polled[offset + 1].revents, of: owner.stream, in: &watches[owner.watch], buffer: &buffer)
            }
            if polled[0].revents != 0 {
                while read(wakeRead, &buffer, buffer.count) > 0 {}
                watches += arrivals.withLock { arrivals in
                    defer { arrivals.removeAll() }
                    return arrivals.map(Watch.init)
                }
            }
            var index = watches.startIndex
            while index < watches.endIndex {
                if watches[index].isFinished { finish(watches.remove(at: index)) } else { index += 1 }
            }
        }
    }

    private func handle(_ events: Int16, of stream: Stream, in watch: inout Watch, buffer: inout [UInt8]) {
        let closed = events & Int16(POLLNVAL) != 0
        switch stream {
        case .exit:
            if !closed { close(watch.exit) }
            watch.exit = -1
        case .output, .error:
            let descriptor = stream == .output ? watch.output : watch.error
            var ended = closed
            if !closed {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    if stream == .output {
                        watch.standardOutput.append(contentsOf: buffer[0..<count])
                    } else {
                        watch.standardError.append(contentsOf: buffer[0..<count])
                    }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    close(descriptor)
                    ended = true
                }
            }
            if ended {
                if stream == .output { watch.output = -1 } else { watch.error = -1 }
            }
        }
    }

    private func finish(_ watch: Watch) {
        for descriptor in [watch.output, watch.error] where descriptor >= 0 { close(descriptor) }
        let (exitCode, signal) = watch.registration.process.reap()
        watch.registration.continuation.resume(
            returning: ChildProcess.Termination(
                exitCode: exitCode, signal: signal, standardOutput: watch.standardOutput, standardError: watch.standardError))
    }
}
