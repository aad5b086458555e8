/// The version of this plugin API's binary interface, which a loader checks before it touches any Swift type of a plugin.
///
/// The module is built with library evolution, so additive changes (a new type, a protocol
/// requirement with a default, a new field in a non-frozen struct) bump only `minor`, and plugins
/// built for an older minor keep working. Anything that changes an existing declaration's layout
/// or signature, or a `@frozen` type, bumps `major`; the loader refuses a plugin whose major differs
/// or whose minor is newer than the host's.
public enum PluginABI {
    /// `"TRPE"`, to recognise a Troupe ABI record in memory.
    public static let magic: UInt32 = 0x5452_5045
    /// Changes when existing declarations change incompatibly.
    public static let major: UInt32 = 1
    /// Changes when declarations are added.
    public static let minor: UInt32 = 0
}
