#if canImport(Glibc)
    import Glibc
#endif

/// The process's private directory of plugin copies: every generation of every plugin is mapped
/// from a copy here, never from the user's file, so rewriting that file (`cp` over it, a truncated
/// build) cannot pull pages out from under the running code.
///
/// Made with `mkdtemp` (mode 0700) so no other user can create or fill it first. Each copy sits in a
/// numbered subdirectory under its original file name (plugins may take their name from it). The
/// copies are removed when the process exits; what is mapped stays mapped.
final class PluginCopyDirectory: Sendable {
    /// The one directory of this process, made on first use.
    static let shared = PluginCopyDirectory()

    private struct State: Sendable {
        var directory: String?
        var copies: [String] = []
        var folders = 0
    }

    private let state = LockedValue(State())

    private init() {}

    /// Writes `bytes` (read from plugin `file`) into a new private copy named `name` and returns its path.
    func copy(_ bytes: [UInt8], named name: String, for file: String) throws(PluginFailure) -> String {
        try state.withLock { (state) throws(PluginFailure) -> String in
            func fail(_ reason: String) -> PluginFailure { PluginFailure(file: file, reason: "cannot make the private copy: \(reason)") }
            let directory: String
            if let existing = state.directory {
                directory = existing
            } else {
                let base = Self.temporaryDirectory
                var template = Array("\(base)/troupe-plugins-XXXXXX".utf8CString)
                guard let made = mkdtemp(&template) else { throw fail("mkdtemp in \(base): \(String(cString: strerror(errno)))") }
                directory = String(cString: made)
                state.directory = directory
                atexit { PluginCopyDirectory.shared.removeCopies() }
            }
            state.folders += 1
            let folder = "\(directory)/\(state.folders)"
            guard mkdir(folder, 0o700) == 0 else { throw fail("mkdir \(folder): \(String(cString: strerror(errno)))") }
            let path = "\(folder)/\(name)"
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw fail("\(path): \(String(cString: strerror(errno)))") }
            state.copies.append(path)
            defer { close(descriptor) }
            var done = 0
            while done < bytes.count {
                let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, bytes.count - done) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw fail("writing \(path): \(String(cString: strerror(errno)))") }
                done += count
            }
            guard fchmod(descriptor, 0o500) == 0 else { throw fail("chmod \(path): \(String(cString: strerror(errno)))") }
            return path
        }
    }

    /// `TMPDIR` when it is an absolute path, else `/tmp`.
    private static var temporaryDirectory: String {
        guard let value = getenv("TMPDIR").map({ String(cString: $0) }), value.hasPrefix("/") else { return "/tmp" }
        return value.count > 1 && value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    /// Removes every copy and the directory; mapped copies stay mapped.
    private func removeCopies() {
        state.withLock { state in
            guard let directory = state.directory else { return }
            for copy in state.copies {
                unlink(copy)
            }
            for folder in stride(from: state.folders, through: 1, by: -1) { rmdir("\(directory)/\(folder)") }
            rmdir(directory)
            state = State()
        }
    }
}
