import Foundation

/// Writes straight to the file descriptors, unbuffered, so progress on standard error and the result
/// on standard output never interleave mid-line and nothing is lost when the process exits.
enum Console {
    /// Whether standard error is a terminal, where a status line can be redrawn in place.
    static var errorIsTerminal: Bool { isatty(2) == 1 }

    /// Writes `text` and a newline to standard output.
    static func output(_ text: String) { write(text + "\n", to: 1) }

    /// Writes `text` and a newline to standard error.
    static func error(_ text: String) { write(text + "\n", to: 2) }

    /// Writes `text` to standard error as is, for redrawing the status line.
    static func errorRaw(_ text: String) { write(text, to: 2) }

    /// Writes every byte, retrying short writes and interruptions.
    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                bytes = bytes.dropFirst(written)
            } else if written < 0 && errno != EINTR {
                return
            }
        }
    }
}
