/// What the dynamic linker would trip over in a plugin file, found from its bytes before any
/// `dlopen`: the linker maps loadable segments without checking that the file holds them, so a
/// truncated library ends in SIGBUS inside it, and its messages for a foreign file are vague.
///
/// Only 64-bit little-endian shared libraries for the host's machine pass.
enum ELFCheck {
    /// The file name of the plugin API library, which sits beside plugins in a build folder.
    static let pluginAPIFileName = "libTroupe.so"

    private static let headerSize = 64
    private static let programHeaderSize = 56

    /// The first problem with `bytes` as a plugin library, or `nil`.
    static func problem(in bytes: [UInt8]) -> String? {
        let size = bytes.count
        if size == 0 { return "an empty file, not a shared library" }
        guard size >= 4, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            return "not an ELF file (no ELF magic number), not a shared library"
        }
        guard size >= 20 else { return "truncated: \(size) bytes, shorter than an ELF header" }
        switch bytes[4] {
        case 2: break
        case 1: return "a 32-bit ELF file; this host loads 64-bit plugins"
        default: return "a malformed ELF file (class \(bytes[4]))"
        }
        guard bytes[5] == 1 else { return "a big-endian ELF file; this host is little-endian" }
        let machine = UInt16(read(bytes, at: 18, size: 2))
        guard machine == hostMachine else {
            return "built for another machine (\(machineName(machine))); this host is \(machineName(hostMachine))"
        }
        guard size >= headerSize else { return "truncated: \(size) bytes, shorter than an ELF header" }
        switch read(bytes, at: 16, size: 2) {
        case 3: break
        case 1: return "not a shared library: an ELF relocatable object (a .o file)"
        case 2: return "not a shared library: an ELF executable"
        case 4: return "not a shared library: an ELF core dump"
        case let type: return "not a shared library: ELF type \(type)"
        }
        let tableOffset = read(bytes, at: 32, size: 8)
        let entrySize = read(bytes, at: 54, size: 2)
        let count = read(bytes, at: 56, size: 2)
        guard entrySize == UInt64(programHeaderSize) else { return "a malformed ELF file (program header entries of \(entrySize) bytes)" }
        guard let tableEnd = end(tableOffset, count * entrySize), tableEnd <= UInt64(size) else {
            return "truncated: its program headers end past the end of the file (\(size) bytes)"
        }
        var loadable = 0
        var dynamic: (offset: UInt64, size: UInt64)?
        for index in 0..<Int(count) {
            let entry = Int(tableOffset) + index * programHeaderSize
            let type = read(bytes, at: entry, size: 4)
            let offset = read(bytes, at: entry + 8, size: 8)
            let fileSize = read(bytes, at: entry + 32, size: 8)
            guard type == 1 || type == 2 else { continue }
            guard let segmentEnd = end(offset, fileSize), segmentEnd <= UInt64(size) else {
                let claimed = end(offset, fileSize).map { "at byte \($0)" } ?? "past any file"
                return "truncated: a \(type == 1 ? "loadable" : "dynamic") segment ends \(claimed), but the file has \(size) bytes"
            }
            if type == 1 { loadable += 1 } else { dynamic = (offset, fileSize) }
        }
        guard loadable > 0 else { return "not a shared library: no loadable segment" }
        guard let dynamic else { return "not a shared library: no dynamic section" }
        return problem(inDynamicSection: dynamic, bytes: bytes)
    }

    /// Refuses position-independent executables, which are shared objects to the header.
    private static func problem(inDynamicSection dynamic: (offset: UInt64, size: UInt64), bytes: [UInt8]) -> String? {
        for entry in stride(from: Int(dynamic.offset), to: Int(dynamic.offset + dynamic.size) - 15, by: 16) {
            let tag = read(bytes, at: entry, size: 8)
            if tag == 0 { break }
            if tag == 0x6FFF_FFFB && read(bytes, at: entry + 8, size: 8) & 0x0800_0000 != 0 {
                return "an executable (position-independent), not a shared library"
            }
        }
        return nil
    }

    /// Whether the dynamic symbol table defines `symbol`; `nil` when the file has no usable
    /// section headers to tell (the dynamic linker does not need them).
    static func defines(_ symbol: String, in bytes: [UInt8]) -> Bool? {
        let size = UInt64(bytes.count)
        let tableOffset = read(bytes, at: 40, size: 8)
        let entrySize = read(bytes, at: 58, size: 2)
        let count = read(bytes, at: 60, size: 2)
        guard tableOffset != 0, entrySize == 64, let tableEnd = end(tableOffset, count * 64), tableEnd <= size else { return nil }
        let sections = (0..<Int(count)).map { Int(tableOffset) + $0 * 64 }
        guard let symbols = sections.first(where: { read(bytes, at: $0 + 4, size: 4) == 11 }) else { return nil }
        let symbolsOffset = read(bytes, at: symbols + 24, size: 8)
        let symbolsSize = read(bytes, at: symbols + 32, size: 8)
        let link = Int(read(bytes, at: symbols + 40, size: 4))
        guard link < sections.count, let symbolsEnd = end(symbolsOffset, symbolsSize), symbolsEnd <= size else { return nil }
        let stringsOffset = read(bytes, at: sections[link] + 24, size: 8)
        let stringsSize = read(bytes, at: sections[link] + 32, size: 8)
        guard let stringsEnd = end(stringsOffset, stringsSize), stringsEnd <= size else { return nil }
        let wanted = Array(symbol.utf8)
        for entry in stride(from: Int(symbolsOffset), to: Int(symbolsEnd) - 23, by: 24) {
            let name = read(bytes, at: entry, size: 4)
            let sectionIndex = read(bytes, at: entry + 6, size: 2)
            guard sectionIndex != 0, name < stringsSize, let start = end(stringsOffset, name) else { continue }
            let first = Int(start)
            let last = first + wanted.count
            if last < Int(stringsEnd), bytes[first..<last].elementsEqual(wanted), bytes[last] == 0 { return true }
        }
        return false
    }

    private static func read(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<size).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value
    }

    private static func end(_ offset: UInt64, _ length: UInt64) -> UInt64? {
        let (sum, overflow) = offset.addingReportingOverflow(length)
        return overflow ? nil : sum
    }

    #if arch(x86_64)
        static let hostMachine: UInt16 = 62
    #elseif arch(arm64)
        static let hostMachine: UInt16 = 183
    #elseif arch(riscv64)
        static let hostMachine: UInt16 = 243
    #else
        static let hostMachine: UInt16 = 0
    #endif

    private static func machineName(_ machine: UInt16) -> String {
        switch machine {
        case 3: "x86 (32-bit)"
        case 8: "MIPS"
        case 20: "PowerPC"
        case 21: "PowerPC 64"
        case 22: "IBM S/390"
        case 40: "ARM (32-bit)"
        case 62: "x86-64"
        case 183: "AArch64"
        case 243: "RISC-V"
        case 258: "LoongArch"
        default: "ELF machine \(machine)"
        }
    }
}
