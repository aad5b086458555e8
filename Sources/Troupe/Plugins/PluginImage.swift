import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A checked plugin file, mapped from its private copy: its ABI record read and verified after
/// `dlopen` ran its initializers but before any of its Swift types were touched, then its factory
/// taken from its entry point and its names checked.
struct PluginImage: Sendable {
    let file: String
    /// The private copy it was mapped from, byte for byte the checked file.
    let copy: String
    let identity: FileIdentity
    let abi: PluginABIRecord
    let factory: any PluginFactory
    let version: SemanticVersion

    /// How many bytes the loader offers the ABI entry point; records may grow, never shrink.
    private static let recordCapacity = 256
    private static let minimumRecordSize = 28

    private typealias ABIFunction = @convention(c) (UnsafeMutableRawPointer, Int) -> Int
    private typealias EntryFunction = @convention(c) () -> UnsafeMutableRawPointer?

    /// Maps `copy`, the private copy of the checked plugin `file` whose identity is `identity`, and
    /// takes its factory; `stage` hears each step before it runs, so that a probe can tell which one
    /// never returned.
    init(copy: String, file path: String, identity: FileIdentity, stage: (PluginLoadStage) -> Void = { _ in }) throws(PluginFailure) {
        func fail(_ reason: String, plugin: String? = nil) -> PluginFailure { PluginFailure(file: path, plugin: plugin, reason: reason) }
        self.identity = identity
        file = path
        self.copy = copy

        stage(.constructor)
        guard let handle = dlopen(copy, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            throw fail(Self.explain(dlerror().map { String(cString: $0) } ?? "unknown dlopen error"))
        }
        guard let abiSymbol = dlsym(handle, PluginExport.abiSymbol) else {
            throw fail("missing ABI symbol \(PluginExport.abiSymbol): not a Troupe plugin, or built without PluginExport")
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.recordCapacity, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: Self.recordCapacity)
        stage(.abiFunction)
        let written = unsafeBitCast(abiSymbol, to: ABIFunction.self)(buffer, Self.recordCapacity)
        let record = buffer.loadUnaligned(as: PluginABIRecord.self)
        guard (0...Self.recordCapacity).contains(written) else {
            throw fail(
                "the ABI function \(PluginExport.abiSymbol) returned \(written), not the size of the record it wrote (0 to \(Self.recordCapacity) bytes)")
        }
        if let problem = Self.incompatibility(of: record, written: written) { throw fail(problem) }
        abi = record
        guard let entrySymbol = dlsym(handle, PluginExport.entrySymbol) else {
            throw fail("missing entry symbol \(PluginExport.entrySymbol)")
        }
        stage(.entry)
        guard let object = unsafeBitCast(entrySymbol, to: EntryFunction.self)() else {
            throw fail("the entry point \(PluginExport.entrySymbol) returned nothing")
        }
        let made = Unmanaged<AnyObject>.fromOpaque(object).takeRetainedValue()
        guard let factory = made as? any PluginFactory else {
            throw fail("the entry point returned a \(type(of: made)), not a PluginFactory")
        }
        if let problem = PluginNameRule.problem(with: factory.name) {
            throw fail("the plugin name \(PluginNameRule.quoted(factory.name)) \(problem)")
        }
        guard let version = SemanticVersion(factory.version) else {
            throw fail("version \(PluginNameRule.quoted(factory.version)) is not a semantic version", plugin: factory.name)
        }
        if let problem = Self.problem(withNamesOf: factory) { throw fail(problem, plugin: factory.name) }
        self.factory = factory
        self.version = version
    }

    /// The first bad or repeated component or requirement name.
    private static func problem(withNamesOf factory: any PluginFactory) -> String? {
        var executors = Set<String>()
        var interceptors = Set<String>()
        for component in factory.provides {
            if let problem = PluginNameRule.problem(with: component.name) {
                return "the component name \(PluginNameRule.quoted(component.name)) \(problem)"
            }
            // Interceptors and legacy middleware share one table of names; executors have their own.
            let isExecutor = if case .executor = component { true } else { false }
            guard (isExecutor ? executors.insert(component.name) : interceptors.insert(component.name)).inserted else {
                return "lists the same component twice: \(component)"
            }
        }
        var required = Set<String>()
        for requirement in factory.requires {
            if let problem = PluginNameRule.problem(with: requirement.name) {
                return "the required plugin name \(PluginNameRule.quoted(requirement.name)) \(problem)"
            }
            guard required.insert(requirement.name).inserted else { return "requires \(PluginNameRule.quoted(requirement.name)) twice" }
        }
        return nil
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
