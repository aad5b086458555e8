#if canImport(Glibc)
    import Glibc
#endif

/// The process's resident set size, from `/proc/self/statm` (Linux only).
enum ResidentMemory {
    /// The resident set size in bytes, or `nil` where `/proc/self/statm` cannot be read.
    static func bytes() -> Int? {
        #if canImport(Glibc)
            let file = open("/proc/self/statm", O_RDONLY)
            guard file >= 0 else { return nil }
            defer { close(file) }
            var buffer = [UInt8](repeating: 0, count: 128)
            let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
            guard count > 0 else { return nil }
            let fields = String(decoding: buffer[..<count], as: UTF8.self).split(separator: " ")
            guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
            return pages * sysconf(Int32(_SC_PAGESIZE))
        #else
            return nil
        #endif
    }

    /// Returns freed heap pages to the kernel, so that what a later phase allocates shows up in the RSS
    /// instead of reusing pages an earlier phase left resident.
    ///
    /// Calls glibc's `malloc_trim(0)`, looked up at run time because the Glibc module does not export `malloc.h`.
    static func releaseFreedPages() {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
            let mallocTrim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
            _ = mallocTrim(0)
        #endif
    }
}
