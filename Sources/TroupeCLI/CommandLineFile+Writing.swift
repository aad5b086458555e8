import Foundation

extension CommandLineFile {
    /// Replaces the file at `path` with `bytes` atomically: written to a temporary file beside it,
    /// then renamed over it, so a reader (node_exporter's textfile collector, Perfetto) never sees half a file.
    static func replace(_ path: String, with bytes: [UInt8]) throws(FileWriteError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(reason: String(cString: strerror(errno))) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw FileWriteError(reason: reason)
            }
            written += count
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FileWriteError(reason: reason)
        }
    }
}
