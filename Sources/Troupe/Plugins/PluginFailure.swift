/// A plugin file that did not load, and why.
public struct PluginFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// The plugin's name, when it got far enough to tell.
    public var plugin: String?
    /// What went wrong, naming both sides where two disagree.
    public var reason: String

    /// Creates a failure.
    public init(file: String, plugin: String? = nil, reason: String) {
        self.file = file
        self.plugin = plugin
        self.reason = reason
    }

    public var description: String { "plugin \(file)\(plugin.map { " (\($0))" } ?? ""): \(reason)" }
}
