import Foundation

/// A plugin generation moved to a new status.
public struct PluginLifecycleEvent: Sendable, Hashable {
    /// The plugin's name.
    public var plugin: String
    /// The version of that generation.
    public var version: SemanticVersion
    /// Which load of the plugin: 1 for the first, higher after each reload.
    public var generation: Int
    /// The status it entered.
    public var status: PluginStatus
    /// When.
    public var timestamp: Date
}
