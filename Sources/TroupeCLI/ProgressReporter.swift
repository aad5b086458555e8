import Foundation
import Troupe

/// Shows an instance's progress on standard error, one line per node event, plus a status line with
/// running and done counts that is redrawn in place when standard error is a terminal.
struct ProgressReporter: Sendable {
    /// How many nodes the workflow has, for the status line.
    let nodeCount: Int
    /// Whether to draw the status line; off when standard error is a file or a pipe, where `\r` is noise.
    let live: Bool

    /// Reports every event until the stream's final event.
    func report(_ events: AsyncStream<WorkflowEvent>) async {
        var running: [String: Date] = [:]
        var done = 0
        for await event in events {
            let line = describe(event, running: running)
            switch event.kind {
            case .nodeStarted(let node, _):
                running[node] = running[node] ?? event.timestamp
            case .nodeCompleted(let node, _), .nodeFailed(let node, _, _), .nodeTimedOut(let node, _),
                .nodeCancelled(let node), .nodeSkipped(let node, _):
                running[node] = nil
                done += 1
            default:
                break
            }
            guard live else {
                if let line { Console.error(line) }
                continue
            }
            // Clear the status line, print the event above it, then draw the status line again.
            var text = "\r\u{1B}[K"
            if let line { text += line + "\n" }
            if !event.kind.isFinal { text += "… \(running.count) running, \(done) of \(nodeCount) done" }
            Console.errorRaw(text)
        }
    }

    /// The line for one event; `nil` for events not worth a line.
    private func describe(_ event: WorkflowEvent, running: [String: Date]) -> String? {
        switch event.kind {
        case .instanceStarted:
            return nil
        case .nodeStarted(let node, let attempt):
            return attempt == 1 ? "▶ \(node)" : "▶ \(node) (attempt \(attempt))"
        case .nodeCompleted(let node, let duration):
            return "✔ \(node) \(duration.displayText)"
        case .nodeFailed(let node, let error, let duration):
            return "✖ \(node) failed after \(duration.displayText): \(Self.oneLine(error))"
        case .nodeRetrying(let node, let attempt, let delay, let error):
            return "↻ \(node) attempt \(attempt) failed, retrying in \(delay.displayText): \(Self.oneLine(error))"
        case .nodeTimedOut(let node, let duration):
            return "⏱ \(node) timed out after \(duration.displayText)"
        case .nodeCancelled(let node):
            guard let start = running[node] else { return "■ \(node) cancelled before it started" }
            return "■ \(node) cancelled after \(Duration.seconds(event.timestamp.timeIntervalSince(start)).displayText)"
        case .nodeSkipped(let node, let reason):
            return "↷ \(node) skipped: \(reason)"
        case .nodeWaiting(let node, let signal):
            return "… \(node) waiting for signal \(signal)"
        case .nodeSignalled(let node, let signal):
            return "✉ \(node) received signal \(signal)"
        case .interceptorNote(let node, let note):
            return "· \(node) \(note)"
        case .paused:
            return "‖ \(event.workflowID) paused"
        case .resumed:
            return "▶ \(event.workflowID) resumed"
        case .completed(let duration):
            return "✔ \(event.workflowID) completed in \(duration.displayText)"
        case .failed(let error, let duration):
            return "✖ \(event.workflowID) failed after \(duration.displayText): \(Self.oneLine(error))"
        case .cancelled(let duration):
            return "■ \(event.workflowID) cancelled after \(duration.displayText)"
        case .timedOut(let duration):
            return "⏱ \(event.workflowID) timed out after \(duration.displayText)"
        }
    }

    /// Keeps one event to one line; a shell node's error carries the tail of its standard error.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ")
    }
}
