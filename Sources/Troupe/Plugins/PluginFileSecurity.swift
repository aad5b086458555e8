#if canImport(Glibc)
import Glibc
#endif

/// The ownership and permission rules sudo and ssh apply to their files, applied to a plugin file
/// and every directory above it up to the plugin root: anyone who could replace the file could
/// run code in the host.
struct PluginFileSecurity {
    let userID = geteuid()

    /// The first problem with `path` and its directories up to `root`, or `nil`. Symbolic links are
    /// resolved first, so the file checked is the one that would be mapped.
    func problem(with path: String, root: String) -> String? {
        guard let resolved = Self.resolve(path) else { return "cannot resolve \(path): \(String(cString: strerror(errno)))" }
        let resolvedRoot = Self.resolve(root) ?? root
        let limit = resolved.hasPrefix(resolvedRoot + "/") ? resolvedRoot : Self.parent(of: resolved)
        var current = resolved
        while true {
            if let problem = problem(withEntry: current) { return problem }
            if current == limit || current == "/" || !current.hasPrefix(limit) { return nil }
            current = Self.parent(of: current)
        }
    }

    private func problem(withEntry path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return "cannot inspect \(path): \(String(cString: strerror(errno)))" }
        if info.st_uid != userID && info.st_uid != 0 {
            return "\(path) is owned by uid \(info.st_uid), not by this user (uid \(userID)) or root"
        }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            return "\(path) is writable by \(info.st_mode & S_IWOTH != 0 ? "others" : "its group") (mode \(String(info.st_mode & 0o7777, radix: 8)))"
        }
        return nil
    }

    private static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
