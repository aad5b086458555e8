import Foundation

/// A FIFO a node's script writes a line to (its pid, say) and the test reads, so the test acts once
/// the process runs instead of after some time.
///
/// The test holds it open for reading and writing, so the script's `echo … > "$FIFO"` never blocks.
final class ReportPipe: Sendable {
    /// The FIFO's path, for the script.
    let path: String
    private let descriptor: Int32

    /// Makes the FIFO in `scratch`.
    init(in scratch: Scratch) throws {
        path = scratch.directory.appendingPathComponent("report-\(UUID().uuidString)").path
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit { close(descriptor) }

    /// Writes `line` and a newline, for a script that reads from the FIFO (a gate it waits at).
    func send(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The next line written, read on a thread of its own because the read blocks; an empty line
    /// when the test is cancelled (its time limit).
    func receiveLine() async -> String {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    var line: [UInt8] = []
                    var byte: UInt8 = 0
                    while true {
                        let count = read(self.descriptor, &byte, 1)
                        if count < 0 && errno == EINTR { continue }
                        if count != 1 || byte == UInt8(ascii: "\n") { break }
                        line.append(byte)
                    }
                    continuation.resume(returning: String(decoding: line, as: UTF8.self))
                }
            }
        } onCancel: {
            var newline = UInt8(ascii: "\n")
            _ = write(descriptor, &newline, 1)
        }
    }
}
