#if canImport(Glibc)
    import Glibc
#endif

/// A plugin file opened once and checked through its descriptor: its bytes are what the security,
/// ELF and digest checks saw, and what the private copy that gets mapped will hold, so nothing can
/// swap the file between the checks and the load.
struct PluginFile: Sendable {
    /// The path as given (made absolute).
    let path: String
    /// The file after every symbolic link, as opened.
    let realPath: String
    /// The opened file's device and inode.
    let identity: FileIdentity
    /// The whole file, read from the checked descriptor.
    let bytes: [UInt8]

    /// The symbolic-link depth at which the kernel gives up (`ELOOP`), kept here too.
    private static let maximumLinks = 40

    /// Opens and checks `path` (absolute): symbolic links are followed one by one, and with
    /// `options.checkPermissions` the directories each link and the file sit in are checked up to `/`.
    init(path: String, options: PluginLoadOptions) throws(PluginFailure) {
        func fail(_ reason: String) -> PluginFailure { PluginFailure(file: path, reason: reason) }
        guard path.hasPrefix("/") else { throw fail("plugin paths must be absolute") }
        let security = options.checkPermissions ? PluginFileSecurity() : nil
        let entry = try Self.resolve(path, security: security, fail: fail)
        let descriptor = open(entry, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ELOOP { throw fail("refused: \(entry) became a symbolic link while it was being checked") }
            throw fail("cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw fail("cannot inspect the opened file: \(String(cString: strerror(errno)))") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw fail("is a directory, not a shared library")
        case S_IFIFO: throw fail("is not a regular file (a FIFO)")
        case S_IFSOCK: throw fail("is not a regular file (a socket)")
        case S_IFCHR, S_IFBLK: throw fail("is not a regular file (a device)")
        default: throw fail("is not a regular file")
        }
        if let problem = security?.problem(withFile: info, path: entry) { throw fail("refused: \(problem)") }
        realPath = entry
        identity = FileIdentity(info)
        bytes = try Self.readAll(descriptor, size: Int(info.st_size), fail: fail)
        self.path = path
        if let problem = ELFCheck.problem(in: bytes) { throw fail(problem) }
        if Self.fileName(entry) == ELFCheck.pluginAPIFileName { throw fail("the Troupe plugin API library itself, not a plugin") }
        if ELFCheck.defines(PluginExport.abiSymbol, in: bytes) == false {
            throw fail("missing ABI symbol \(PluginExport.abiSymbol): not a Troupe plugin, or built without PluginExport")
        }
        let name = Self.fileName(path)
        if let pinned = options.pinnedDigests[name] ?? (options.requireDigests ? "" : nil) {
            guard !pinned.isEmpty else { throw fail("refused: no pinned SHA-256 digest for \(name), and digests are required") }
            let digest = SHA256.hash(bytes)
            guard digest == pinned.lowercased() else { throw fail("refused: SHA-256 digest \(digest) differs from the pinned \(pinned.lowercased())") }
        }
    }

    /// The last component of `path`.
    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Follows `path` link by link to the entry that is not a link, checking each directory on the way.
    private static func resolve(_ path: String, security: PluginFileSecurity?, fail: (String) -> PluginFailure) throws(PluginFailure) -> String {
        var current = path
        while current.count > 1 && current.hasSuffix("/") { current.removeLast() }
        for hop in 0...maximumLinks {
            let parent = PluginFileSecurity.parent(of: current)
            guard let resolved = realpath(parent, nil) else {
                throw fail("cannot resolve \(parent): \(String(cString: strerror(errno)))")
            }
            let directory = String(cString: resolved)
            free(resolved)
            if let problem = security?.problem(withDirectoriesFrom: directory) {
                throw fail("refused: \(problem)\(hop > 0 ? " (reached through a symbolic link)" : "")")
            }
            let entry = (directory == "/" ? "" : directory) + "/" + fileName(current)
            var info = stat()
            guard lstat(entry, &info) == 0 else {
                throw fail(
                    hop > 0 ? "a dangling symbolic link: \(entry): \(String(cString: strerror(errno)))" : "cannot open: \(String(cString: strerror(errno)))")
            }
            guard info.st_mode & S_IFMT == S_IFLNK else { return entry }
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(entry, &target, target.count - 1)
            guard length > 0 else { throw fail("cannot read the symbolic link \(entry): \(String(cString: strerror(errno)))") }
            let destination = String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination : directory + "/" + destination
        }
        throw fail("cannot open: too many levels of symbolic links (more than \(maximumLinks))")
    }

    private static func readAll(_ descriptor: Int32, size: Int, fail: (String) -> PluginFailure) throws(PluginFailure) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count = bytes.withUnsafeMutableBytes { buffer in pread(descriptor, buffer.baseAddress! + done, size - done, off_t(done)) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw fail("cannot read: \(String(cString: strerror(errno)))") }
            guard count > 0 else { throw fail("truncated while being read: \(done) of \(size) bytes") }
            done += count
        }
        return bytes
    }
}
