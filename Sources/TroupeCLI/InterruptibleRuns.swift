import Foundation
@_spi(Development) import Troupe

/// What SIGINT and SIGTERM do to the runs a command waits for (`troupe run`, `troupe resume`): the
/// first signal cancels them (their `shell` processes are killed) and the command goes on to print
/// their results and exit 130 or 143; a later one kills the `shell` processes still running and
/// exits at once, printing the results as far as the events seen so far tell them (nodes still
/// running show `running`).
///
/// Made before the first run starts, so that no signal finds the default action. The results are
/// printed exactly once: the runs' own end and an exit forced by a second signal may both try.
final class InterruptibleRuns: Sendable {
    private struct Watched {
        let handle: WorkflowHandle
        let observed: ObservedRun
    }

    private let interruption: Interruption
    private let watched: LockedValue<[Watched]>
    private let printed: LockedValue<Bool>

    /// Handles the signals from now on; `single` prints one result (`troupe run`, `troupe resume RUN`),
    /// otherwise an array of them (`troupe resume --all`).
    init(single: Bool) throws(LinuxSystemCalls.Failure) {
        let watched = LockedValue<[Watched]>([])
        let printed = LockedValue(false)
        self.watched = watched
        self.printed = printed
        interruption = try Interruption(
            first: { _ in
                for run in watched.withLock({ $0 }) { run.handle.cancel() }
            },
            later: { signals in Self.exitNow(after: signals, watched: watched, printed: printed, single: single) })
    }

    /// The first signal received, if any.
    var firstSignal: Int32? { interruption.firstSignal }

    /// Follows `handle`'s events for a partial result, and cancels it at once when a signal came before.
    func watch(_ handle: WorkflowHandle, definition: WorkflowDefinition) {
        let observed = ObservedRun(definition)
        observed.begin(handle.id)
        Task { for await event in handle.events { observed.record(event) } }
        // Listed before the check, so that a signal in between cancels it either way.
        watched.withLock { $0.append(Watched(handle: handle, observed: observed)) }
        if interruption.firstSignal != nil { handle.cancel() }
    }

    /// Prints `results` (one, or an array) unless they were printed already, then stops handling
    /// signals: the command is about to exit with the first signal's status, which a late signal's
    /// default action would replace with a kill.
    func finish(printing results: JSONValue) {
        Self.print(results, printed: printed)
        interruption.stop()
    }

    /// The exit status after a signal, if one came.
    var stoppedStatus: ExitStatus? { interruption.firstSignal.map(ExitStatus.init(stoppedBy:)) }

    private static func print(_ results: JSONValue, printed: LockedValue<Bool>) {
        printed.withLock { printed in
            guard !printed else { return }
            Console.output(JSONWriter.write(results))
            printed = true
        }
    }

    /// Exits at once on a signal after the first, whatever the nodes' code is doing; the status is
    /// the first signal's, which is what stopped the runs.
    private static func exitNow(after signals: [Int32], watched: LockedValue<[Watched]>, printed: LockedValue<Bool>, single: Bool) -> Never {
        var runs = watched.withLock { $0 }
        // `troupe run` starts its run right after the handler is installed; a signal in between waits for that.
        while single && runs.isEmpty {
            sched_yield()
            runs = watched.withLock { $0 }
        }
        let unfinished = runs.flatMap(\.observed.unfinishedNodes)
        Console.error(
            "■ \(Interruption.name(of: signals.last ?? SIGINT)) again: exiting"
                + (unfinished.isEmpty ? "" : " without waiting for \(unfinished.joined(separator: ", "))"))
        // The first signal's cancel may not have reached every shell node yet.
        RunningProcesses.terminateAll()
        let partial = runs.compactMap { $0.observed.partialResult()?.commandLineJSON }
        print(single ? partial.first ?? .null : .array(partial), printed: printed)
        _exit(ExitStatus(stoppedBy: signals.first ?? SIGINT).rawValue)
    }
}
