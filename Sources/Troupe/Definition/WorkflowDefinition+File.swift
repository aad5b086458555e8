import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension WorkflowDefinition {
    /// The largest workflow file read unless the caller says otherwise: 64 MiB.
    public static let defaultMaximumFileSize = 64 << 20

    /// Reads a workflow file of at most `maximumSize` bytes, refusing anything but a regular file
    /// (a FIFO or a device could block or never end) before reading a byte of it.
    ///
    /// The file is read once into one buffer and parsed from it; every way it can be wrong,
    /// from a missing file to a bad graph, is an issue starting `cannot read the file` or naming its place.
    public init(contentsOf url: URL, maximumSize: Int = defaultMaximumFileSize) throws(WorkflowValidationError) {
        let bytes = try Self.contents(of: url.path, maximumSize: maximumSize)
        if let offset = Self.firstInvalidUTF8Offset(bytes) {
            let (line, column) = Self.position(ofOffset: offset, in: bytes)
            throw Self.unreadable("it is not UTF-8 text (an invalid byte at line \(line), column \(column))")
        }
        try self.init(jsonBytes: bytes)
    }

    private static func unreadable(_ reason: String) -> WorkflowValidationError {
        WorkflowValidationError(issues: [ValidationIssue(path: "", message: "cannot read the file: \(reason)")])
    }

    private static var errnoText: String { String(cString: strerror(errno)) }

    private static func contents(of path: String, maximumSize: Int) throws(WorkflowValidationError) -> [UInt8] {
        // Non-blocking, so that opening a FIFO returns at once and the type check below can refuse it.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw unreadable(errnoText) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw unreadable(errnoText) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw unreadable("it is a directory")
        case S_IFIFO: throw unreadable("it is not a regular file (a FIFO)")
        case S_IFCHR: throw unreadable("it is not a regular file (a character device)")
        case S_IFBLK: throw unreadable("it is not a regular file (a block device)")
        case S_IFSOCK: throw unreadable("it is not a regular file (a socket)")
        default: throw unreadable("it is not a regular file")
        }
        let size = Int(status.st_size)
        let tooLarge = unreadable("it is larger than the limit of \(maximumSize) bytes")
        guard size <= maximumSize else { throw tooLarge }
        // One more byte than the limit allows, so that a file that grew since `fstat` is noticed.
        let capacity = min(size, maximumSize) + 1
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            count = 0
            while count < capacity {
                let got = read(descriptor, buffer.baseAddress! + count, capacity - count)
                if got > 0 {
                    count += got
                } else if got == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        guard failure == 0 else { throw unreadable(String(cString: strerror(failure))) }
        guard bytes.count <= maximumSize else { throw tooLarge }
        // The file grew past its size but stays within the limit: read the rest in chunks.
        if bytes.count == capacity {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
                if got < 0, errno == EINTR { continue }
                guard got >= 0 else { throw unreadable(errnoText) }
                if got == 0 { break }
                guard bytes.count + got <= maximumSize else { throw tooLarge }
                bytes += chunk[..<got]
            }
        }
        return bytes
    }

    /// The offset of the first byte that is not part of well-formed UTF-8, or `nil`.
    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    private static func position(ofOffset offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
