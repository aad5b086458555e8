/// Another plugin that a plugin needs, with the versions it accepts (such as `"^1.2"` or `">=1.0.0 <2.0.0"`).
public struct PluginRequirement: Sendable, Hashable {
    /// The required plugin's name.
    public var name: String
    /// The accepted versions, in the registry's version-range syntax.
    public var versions: String

    /// Creates a requirement.
    public init(name: String, versions: String = "*") {
        self.name = name
        self.versions = versions
    }
}
