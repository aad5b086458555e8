/// The version of this plugin API's binary interface, which a loader checks before it touches any Swift type of a plugin.
///
/// The module is built with library evolution, so additive changes (a new type, a protocol
/// requirement with a default, a new field in a non-frozen struct) bump only `minor`, and plugins
/// built for an older minor keep working. Anything that changes an existing declaration's layout
/// or signature, or a `@frozen` type, bumps `major`; the loader refuses a plugin whose major differs
/// or whose minor is newer than the host's.
///
/// Nobody has to remember to bump: the public interface's digest for each version is recorded in
/// `InterfaceDigests.txt` beside this file, and a test fails, saying what to do, when the interface
/// no longer matches the last line. And whatever the numbers say, ``layoutFingerprint`` (derived
/// from the `@frozen` declarations themselves) must match the host's.
///
/// The values are emitted into each client, so a plugin carries the numbers it was compiled
/// against, not the ones of the library it later runs with.
public enum PluginABI {
    /// `"TRPE"`, to recognise a Troupe ABI record in memory.
    @_alwaysEmitIntoClient public static var magic: UInt32 { 0x5452_5045 }
    /// Changes when existing declarations change incompatibly.
    @_alwaysEmitIntoClient public static var major: UInt32 { 3 }
    /// Changes when declarations are added.
    @_alwaysEmitIntoClient public static var minor: UInt32 { 1 }

    /// The Swift compiler's major and minor version that compiled this code.
    @_alwaysEmitIntoClient public static var compilerVersion: (major: UInt32, minor: UInt32) {
        #if compiler(>=7.0)
            return (7, 0)
        #elseif compiler(>=6.4)
            return (6, 4)
        #elseif compiler(>=6.3)
            return (6, 3)
        #elseif compiler(>=6.2)
            return (6, 2)
        #elseif compiler(>=6.1)
            return (6, 1)
        #else
            return (6, 0)
        #endif
    }
}
