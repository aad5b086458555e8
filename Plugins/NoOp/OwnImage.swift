import Glibc

/// The shared library this code was loaded from, found in /proc/self/maps.
enum OwnImage {
    /// The library's file name without directory and extension, such as `libTroupeNoOpPlugin`;
    /// `nil` when /proc/self/maps cannot be read or has no file mapped at this code.
    static func fileStem() -> String? {
        guard let path = path() else { return nil }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// The path of the mapped file whose address range holds a function defined here.
    private static func path() -> String? {
        let probe: @convention(c) () -> Void = {}
        let address = unsafeBitCast(probe, to: UInt.self)
        for line in String(decoding: mapsFile() ?? [], as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { continue }
            let bounds = fields[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
            if bounds.count == 2, bounds[0] <= address, address < bounds[1] { return String(fields[5].drop { $0 == " " }) }
        }
        return nil
    }

    /// The bytes of /proc/self/maps, or `nil` when it cannot be opened.
    private static func mapsFile() -> [UInt8]? {
        let file = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return contents }
            contents += buffer[..<count]
        }
    }
}
