#if canImport(Glibc)
    import Glibc
#endif

/// A file's device and inode, so that one file reached by two paths loads once.
struct FileIdentity: Sendable, Hashable {
    let device: UInt64
    let inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
