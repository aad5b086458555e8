import Foundation

@_spi(Development) @testable import Troupe

/// A FIFO that shell nodes' scripts and a test talk through, so that a test waits for what a
/// process does (reports its pid, reaches a point) and releases it when it chooses, never for time.
///
/// The test keeps the FIFO open for reading and writing, so a script's `open` never blocks and
/// the FIFO never reports its end: `read line < "$FIFO"` in a script waits until ``send(lines:)``,
/// and `echo … > "$FIFO"` returns at once, its line waiting for ``receive(lines:)``.
final class NamedPipe: Sendable {
    /// The FIFO's path, for scripts.
    let path: String
    private let directory: String
    private let descriptor: Int32
    /// Bytes read past the last line handed out.
    private let unread = LockedValue<[UInt8]>([])

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-fifo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/fifo"
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit {
        close(descriptor)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Lets `count` scripts waiting in `read line < "$FIFO"` go on, one line each.
    func send(lines count: Int) {
        let bytes = [UInt8](repeating: UInt8(ascii: "\n"), count: count)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result > 0 { written += result } else if errno != EINTR { return }
        }
    }

    /// The next `count` lines scripts wrote, without their newlines; read on a thread of its own,
    /// because the read blocks.
    /// When the test is cancelled (its time limit), empty lines end the wait.
    func receive(lines count: Int) async -> [String] {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: self.blockingReceive(count)) }
            }
        } onCancel: {
            send(lines: count)
        }
    }

    private func blockingReceive(_ count: Int) -> [String] {
        var bytes = unread.withLock { unread in
            defer { unread.removeAll() }
            return unread
        }
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while bytes.count(where: { $0 == UInt8(ascii: "\n") }) < count {
            let result = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if result > 0 { bytes += buffer[0..<result] } else if errno != EINTR { break }
        }
        var lines: [String] = []
        while lines.count < count, let end = bytes.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: bytes[..<end], as: UTF8.self))
            bytes.removeSubrange(...end)
        }
        unread.withLock { $0 = bytes }
        return lines
    }
}
