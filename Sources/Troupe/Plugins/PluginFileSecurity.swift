#if canImport(Glibc)
    import Glibc
#endif

/// The ownership and permission rules OpenSSH's `safe_path` applies to the files it trusts, applied
/// to a plugin file and every directory of its real path up to `/`: anyone who could replace the file,
/// or rename a directory above it, could run code in the host.
///
/// The directory that holds the plugin must not be writable by group or others, sticky or not. One
/// departure from `safe_path`: a directory *above* it may be world-writable when it is sticky and
/// owned by root (`/tmp`), because the sticky bit stops other users from renaming or removing the
/// directory below it that this user owns; so a checkout or build folder under `/tmp` can hold plugins.
struct PluginFileSecurity {
    let userID = geteuid()

    /// The first problem with `directory` (a real path, without symbolic links) or a directory above it, or `nil`.
    func problem(withDirectoriesFrom directory: String) -> String? {
        var current = directory
        var isAncestor = false
        while true {
            var info = stat()
            guard lstat(current, &info) == 0 else { return "cannot inspect \(current): \(String(cString: strerror(errno)))" }
            guard info.st_mode & S_IFMT == S_IFDIR else { return "\(current) is not a directory" }
            let stickyRootAncestor = isAncestor && info.st_uid == 0 && info.st_mode & S_ISVTX != 0
            if !stickyRootAncestor, let problem = problem(withFile: info, path: current) { return problem }
            isAncestor = true
            if current == "/" { return nil }
            current = Self.parent(of: current)
        }
    }

    /// The problem with the owner or mode in `info`, the status of `path`, or `nil`.
    func problem(withFile info: stat, path: String) -> String? {
        if info.st_uid != userID && info.st_uid != 0 {
            return "\(path) is owned by uid \(info.st_uid), not by this user (uid \(userID)) or root"
        }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            return "\(path) is writable by \(info.st_mode & S_IWOTH != 0 ? "others" : "its group") (mode \(String(info.st_mode & 0o7777, radix: 8)))"
        }
        return nil
    }

    /// The directory holding `path` (absolute).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
