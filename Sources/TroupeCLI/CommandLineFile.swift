import Foundation

/// Reads a file named on the command line (such as `--input @file`), saying why when it cannot:
/// `FileManager.contents(atPath:)` only returns `nil`.
enum CommandLineFile {
    /// The file's bytes, at most `maximumSize` of them; FIFOs are read too, so `@/dev/stdin` works.
    static func contents(of path: String, maximumSize: Int) throws(FileReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileReadError(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { throw FileReadError(reason: "it is a directory") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw FileReadError(reason: String(cString: strerror(errno))) }
            if got == 0 { return bytes }
            guard bytes.count + got <= maximumSize else { throw FileReadError(reason: "it is larger than the limit of \(maximumSize) bytes") }
            bytes += chunk[..<got]
        }
    }
}
