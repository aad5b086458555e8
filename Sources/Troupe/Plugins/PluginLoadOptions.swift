/// How plugins are found, checked and configured.
public struct PluginLoadOptions: Sendable {
    /// Refuse a plugin file, a directory of its real path up to `/`, or a directory holding a
    /// symbolic link on the way to it, that is writable by group or others or owned by another user
    /// than this process's (or root), as OpenSSH's `safe_path` does; a sticky root-owned directory
    /// (`/tmp`) is accepted above the plugin's own directory.
    public var checkPermissions: Bool
    /// SHA-256 digests (lowercase hex) by file name, such as `"libAuditLog.so"`; a pinned file whose digest differs is refused.
    public var pinnedDigests: [String: String]
    /// Refuse every file that has no pinned digest.
    public var requireDigests: Bool
    /// Which plugin wins when two provide the same component name: component name → plugin name.
    public var preferred: [String: String]
    /// Configuration handed to each plugin's factory, by plugin name.
    public var configurations: [String: JSONValue]
    /// How many generations of one plugin may be loaded in a process (each stays mapped for good).
    public var maximumGenerations: Int
    /// Whether each file is first tried in a child process, so that its crash cannot take the host down.
    public var vetting: PluginVetting

    /// Creates options; by default permissions are checked, nothing is pinned, 8 generations are
    /// allowed, and plugins are mapped without vetting (the `troupe` tool vets them).
    public init(
        checkPermissions: Bool = true, pinnedDigests: [String: String] = [:], requireDigests: Bool = false,
        preferred: [String: String] = [:], configurations: [String: JSONValue] = [:], maximumGenerations: Int = 8,
        vetting: PluginVetting = .inProcessOnly
    ) {
        self.checkPermissions = checkPermissions
        self.pinnedDigests = pinnedDigests
        self.requireDigests = requireDigests
        self.preferred = preferred
        self.configurations = configurations
        self.maximumGenerations = maximumGenerations
        self.vetting = vetting
    }
}
