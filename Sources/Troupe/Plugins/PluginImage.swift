import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A checked plugin file, opened: its ABI record read and verified before any of its Swift code ran,
/// then its factory taken from its entry point.
struct PluginImage: Sendable {
    let file: String
    let identity: FileIdentity
    let abi: PluginABIRecord
    let factory: any PluginFactory
    let version: SemanticVersion

    /// How many bytes the loader offers the ABI entry point; records may grow, never shrink.
    private static let recordCapacity = 256
    private static let minimumRecordSize = 28

    private typealias ABIFunction = @convention(c) (UnsafeMutableRawPointer, Int) -> Int
    private typealias EntryFunction = @convention(c) () -> UnsafeMutableRawPointer?

    /// Opens `path` (absolute), after the security checks in `options` with `root` as the plugin root.
    init(path: String, root: String, options: PluginLoadOptions) throws(PluginFailure) {
        func fail(_ reason: String, plugin: String? = nil) -> PluginFailure { PluginFailure(file: path, plugin: plugin, reason: reason) }
        guard path.hasPrefix("/") else { throw fail("plugin paths must be absolute") }
        var info = stat()
        guard stat(path, &info) == 0 else { throw fail("cannot open: \(String(cString: strerror(errno)))") }
        if info.st_mode & S_IFMT == S_IFDIR { throw fail("is a directory, not a shared library") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw fail("is not a regular file") }
        if options.checkPermissions, let problem = PluginFileSecurity().problem(with: path, root: root) {
            throw fail("refused: \(problem)")
        }
        let name = (path as NSString).lastPathComponent
        if let pinned = options.pinnedDigests[name] ?? (options.requireDigests ? "" : nil) {
            guard !pinned.isEmpty else { throw fail("refused: no pinned SHA-256 digest for \(name), and digests are required") }
            guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read the file to check its digest") }
            let digest = SHA256.hash(data)
            guard digest == pinned.lowercased() else { throw fail("refused: SHA-256 digest \(digest) differs from the pinned \(pinned.lowercased())") }
        }
        identity = FileIdentity(info)
        file = path

        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            throw fail(Self.explain(dlerror().map { String(cString: $0) } ?? "unknown dlopen error"))
        }
        guard let abiSymbol = dlsym(handle, PluginExport.abiSymbol) else {
            throw fail("missing ABI symbol \(PluginExport.abiSymbol): not a Troupe plugin, or built without PluginExport")
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.recordCapacity, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: Self.recordCapacity)
        let written = unsafeBitCast(abiSymbol, to: ABIFunction.self)(buffer, Self.recordCapacity)
        let record = buffer.loadUnaligned(as: PluginABIRecord.self)
        if let problem = Self.incompatibility(of: record, written: written) { throw fail(problem) }
        abi = record
        guard let entrySymbol = dlsym(handle, PluginExport.entrySymbol) else {
            throw fail("missing entry symbol \(PluginExport.entrySymbol)")
        }
        guard let object = unsafeBitCast(entrySymbol, to: EntryFunction.self)() else {
            throw fail("the entry point \(PluginExport.entrySymbol) returned nothing")
        }
        let made = Unmanaged<AnyObject>.fromOpaque(object).takeRetainedValue()
        guard let factory = made as? any PluginFactory else {
            throw fail("the entry point returned a \(type(of: made)), not a PluginFactory")
        }
        guard !factory.name.isEmpty else { throw fail("the plugin has an empty name") }
        guard let version = SemanticVersion(factory.version) else {
            throw fail("version \"\(factory.version)\" is not a semantic version", plugin: factory.name)
        }
        self.factory = factory
        self.version = version
    }

    /// Why a plugin whose ABI entry point wrote `record` (`written` bytes of it) cannot run in this
    /// host, or `nil` when it can: the version numbers first, then the layout fingerprint, which
    /// catches a plugin built against a changed API whose numbers nobody bumped.
    static func incompatibility(of record: PluginABIRecord, written: Int) -> String? {
        guard record.magic == PluginABI.magic, written >= minimumRecordSize, record.recordSize >= minimumRecordSize else {
            return "the ABI record is not a Troupe record (magic 0x\(String(record.magic, radix: 16)), \(written) bytes)"
        }
        let host = PluginABIRecord.current
        guard record.pointerSize == host.pointerSize, record.abiMajor == host.abiMajor, record.abiMinor <= host.abiMinor,
            record.swiftMajor == host.swiftMajor, record.swiftMinor == host.swiftMinor
        else {
            return "built for Troupe plugin ABI \(record.abiVersion) with Swift \(record.swiftVersion) (\(record.pointerSize * 8)-bit); "
                + "this host has ABI \(host.abiVersion) with Swift \(host.swiftVersion) (\(host.pointerSize * 8)-bit)"
        }
        // An ABI 3.0 record ends after the fingerprint at offset 32; later minors may only append.
        let fingerprintEnd = 40
        guard written >= fingerprintEnd, record.recordSize >= fingerprintEnd else {
            return "the ABI record claims ABI \(record.abiVersion) but has \(written) bytes, not the \(fingerprintEnd) that version writes"
        }
        guard record.layoutFingerprint == host.layoutFingerprint else {
            return "built against a Troupe plugin API \(record.abiVersion) whose frozen types are laid out differently: "
                + "layout fingerprint \(record.layoutFingerprintText); this host's is \(host.layoutFingerprintText) "
                + "(the API changed without an ABI version bump: rebuild the plugin against this host's Troupe)"
        }
        return nil
    }

    /// Turns dlerror's text into what went wrong, keeping the original.
    private static func explain(_ message: String) -> String {
        let reason: String
        if message.contains("invalid ELF header") {
            reason = "not an ELF shared library"
        } else if message.contains("file too short") {
            reason = "empty or truncated file"
        } else if message.contains("position-independent executable") {
            reason = "an executable, not a shared library"
        } else if message.contains("cannot open shared object file") {
            reason = "a library it needs cannot be found"
        } else if message.contains("undefined symbol") {
            reason = "it needs a symbol this host does not have (built against another version?)"
        } else {
            reason = "dlopen failed"
        }
        return "\(reason) (\(message))"
    }
}
