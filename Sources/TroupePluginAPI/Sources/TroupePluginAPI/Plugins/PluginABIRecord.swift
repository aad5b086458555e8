/// The plain C-layout record a plugin's `troupe_plugin_abi` entry point writes, read by the loader
/// before any Swift type of the plugin is touched (like PostgreSQL's module magic block).
///
/// Seven 32-bit fields, then (since ABI 3, after 4 bytes of padding) the 64-bit layout fingerprint at
/// offset 32: 40 bytes. This layout never changes; later versions may only append.
@frozen
public struct PluginABIRecord: Sendable, Hashable {
    /// ``PluginABI/magic``.
    public var magic: UInt32
    /// The size of the record the plugin wrote, in bytes.
    public var recordSize: UInt32
    /// The plugin API ABI major version the plugin was built against.
    public var abiMajor: UInt32
    /// The plugin API ABI minor version the plugin was built against.
    public var abiMinor: UInt32
    /// The Swift compiler's major version.
    public var swiftMajor: UInt32
    /// The Swift compiler's minor version.
    public var swiftMinor: UInt32
    /// `MemoryLayout<Int>.size` where the plugin was built.
    public var pointerSize: UInt32
    /// ``PluginABI/layoutFingerprint`` as the plugin was built.
    public var layoutFingerprint: UInt64

    /// Creates a record from its fields.
    @_alwaysEmitIntoClient
    public init(
        magic: UInt32, recordSize: UInt32, abiMajor: UInt32, abiMinor: UInt32, swiftMajor: UInt32, swiftMinor: UInt32, pointerSize: UInt32,
        layoutFingerprint: UInt64
    ) {
        self.magic = magic
        self.recordSize = recordSize
        self.abiMajor = abiMajor
        self.abiMinor = abiMinor
        self.swiftMajor = swiftMajor
        self.swiftMinor = swiftMinor
        self.pointerSize = pointerSize
        self.layoutFingerprint = layoutFingerprint
    }

    /// The record describing the code that evaluates it: a plugin gets its own build's values.
    @_alwaysEmitIntoClient
    public static var current: PluginABIRecord {
        PluginABIRecord(
            magic: PluginABI.magic, recordSize: UInt32(MemoryLayout<PluginABIRecord>.size),
            abiMajor: PluginABI.major, abiMinor: PluginABI.minor,
            swiftMajor: PluginABI.compilerVersion.major, swiftMinor: PluginABI.compilerVersion.minor,
            pointerSize: UInt32(MemoryLayout<Int>.size), layoutFingerprint: PluginABI.layoutFingerprint)
    }

    /// `"1.0"`.
    public var abiVersion: String { "\(abiMajor).\(abiMinor)" }

    /// `"6.3"`.
    public var swiftVersion: String { "\(swiftMajor).\(swiftMinor)" }

    /// The layout fingerprint as 16 hexadecimal digits, such as `"9f3c0a4e1b2d5c67"`.
    public var layoutFingerprintText: String {
        let digits = String(layoutFingerprint, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
