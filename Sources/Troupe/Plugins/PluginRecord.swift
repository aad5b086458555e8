/// What the registry knows of one loaded plugin's current generation, as `troupe plugins` shows it.
public struct PluginRecord: Sendable, Hashable {
    /// The plugin's name.
    public var name: String
    /// Its version.
    public var version: SemanticVersion
    /// One line on what it does.
    public var summary: String
    /// What it provides.
    public var provides: [PluginComponent]
    /// What it requires.
    public var requires: [PluginRequirement]
    /// The file it was loaded from.
    public var file: String
    /// The plugin API ABI and Swift versions it was built with.
    public var abi: PluginABIRecord
    /// The current generation's number.
    public var generation: Int
    /// The current generation's status.
    public var status: PluginStatus
    /// The factory's health report; `nil` when healthy.
    public var healthProblem: String?
    /// Older generations that are draining or retired, by number.
    public var olderGenerations: [Int: PluginStatus]
}
