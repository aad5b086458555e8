/// What a plugin's two C entry points call, so that a plugin author writes only:
///
/// ```swift
/// @_cdecl("troupe_plugin_abi")
/// public func troupePluginABI(_ record: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
///     PluginExport.writeABIRecord(to: record, capacity: capacity)
/// }
///
/// @_cdecl("troupe_plugin_entry")
/// public func troupePluginEntry() -> UnsafeMutableRawPointer? {
///     PluginExport.retainedFactory(AuditLogPlugin())
/// }
/// ```
public enum PluginExport {
    /// The symbol name of the ABI record entry point.
    public static let abiSymbol = "troupe_plugin_abi"
    /// The symbol name of the factory entry point.
    public static let entrySymbol = "troupe_plugin_entry"

    /// Writes this build's ``PluginABIRecord`` into the loader's buffer and returns the bytes written.
    @_alwaysEmitIntoClient
    public static func writeABIRecord(to buffer: UnsafeMutableRawPointer, capacity: Int) -> Int {
        let record = PluginABIRecord.current
        let size = min(capacity, MemoryLayout<PluginABIRecord>.size)
        withUnsafeBytes(of: record) { bytes in
            buffer.copyMemory(from: bytes.baseAddress!, byteCount: size)
        }
        return size
    }

    /// Hands a factory to the loader with a +1 retain count, which the loader takes over.
    @_alwaysEmitIntoClient
    public static func retainedFactory(_ factory: some PluginFactory) -> UnsafeMutableRawPointer? {
        Unmanaged.passRetained(factory as AnyObject).toOpaque()
    }
}
