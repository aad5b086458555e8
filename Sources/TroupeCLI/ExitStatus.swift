import Foundation

/// The tool's exit codes, so that scripts can tell a failed workflow from a file that never ran.
enum ExitStatus: Int32, Sendable {
    /// The command succeeded; for `run`, the instance completed.
    case success = 0
    /// The instance failed, was cancelled or timed out.
    case failure = 1
    /// The command line, the workflow file or the input was invalid; nothing ran.
    case invalidInput = 2
    /// `run` was stopped by SIGINT (128 + 2, as shells report it).
    case interrupted = 130
    /// `run` was stopped by SIGTERM (128 + 15).
    case terminated = 143

    /// The status for a run stopped by `signal`, SIGINT or SIGTERM.
    init(stoppedBy signal: Int32) {
        self = signal == SIGTERM ? .terminated : .interrupted
    }
}
