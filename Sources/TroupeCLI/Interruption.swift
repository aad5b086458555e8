import Foundation
@_spi(Development) import Troupe

/// The write end of the pipe that the signal handler writes to; a C handler cannot capture it.
/// Set once, before the handler is installed.
nonisolated(unsafe) private var interruptionPipe: Int32 = -1

/// Turns SIGINT and SIGTERM into calls instead of the default kill: the first one asks the run to
/// stop cleanly, any later one to exit at once. One per process.
///
/// The handler is installed with `sigaction` before `init` returns, so no signal is lost (a
/// Dispatch signal source registers later, and a signal before that was dropped); it only writes
/// the signal's number to a pipe, which a thread of its own reads, because the cooperative pool
/// may be held by the very code the signal is meant to stop.
final class Interruption: Sendable {
    private struct State {
        var received: [Int32] = []
        var stopped = false
    }

    /// The signals it handles.
    static let signals = [SIGINT, SIGTERM]

    private let state = LockedValue(State())
    private let reader: Int32
    private let first: @Sendable (Int32) -> Void
    private let later: @Sendable ([Int32]) -> Void

    /// Calls `first` on the first SIGINT or SIGTERM with that signal, and `later` on each one after
    /// it with every signal received so far, in order.
    init(first: @escaping @Sendable (Int32) -> Void, later: @escaping @Sendable ([Int32]) -> Void) throws(LinuxSystemCalls.Failure) {
        self.first = first
        self.later = later
        let ends = try LinuxSystemCalls.closeOnExecPipe()
        reader = ends.read
        interruptionPipe = ends.write
        try startReading()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            let saved = errno
            var byte = UInt8(truncatingIfNeeded: signal)
            _ = write(interruptionPipe, &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        for signal in Self.signals { sigaction(signal, &action, nil) }
    }

    /// The first signal received, if any.
    var firstSignal: Int32? { state.withLock { $0.received.first } }

    /// Stops calling the actions: the command has printed its result and is about to exit with the
    /// first signal's status, which a late signal's default action would replace with a kill.
    func stop() {
        state.withLock { $0.stopped = true }
    }

    /// `SIGINT` or `SIGTERM`, for messages.
    static func name(of signal: Int32) -> String { signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "signal \(signal)" }

    private func startReading() throws(LinuxSystemCalls.Failure) {
        // The thread holds the interruption for the rest of the process, as the handler does.
        try LinuxSystemCalls.startThread { self.readSignals() }
    }

    private func readSignals() {
        var byte: UInt8 = 0
        while true {
            let count = read(reader, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            // The write end is never closed: anything else is a broken pipe, and no signal can come.
            guard count == 1 else { return }
            let signal = Int32(byte)
            let received = state.withLock { state -> [Int32] in
                guard !state.stopped else { return [] }
                state.received.append(signal)
                return state.received
            }
            if received.count == 1 { first(signal) } else if received.count > 1 { later(received) }
        }
    }
}
