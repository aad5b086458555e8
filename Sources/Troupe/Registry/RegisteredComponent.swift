/// One entry of the registry, as listings show it.
public struct RegisteredComponent: Sendable, Hashable {
    /// What it is and the name workflows use.
    public var component: PluginComponent
    /// Where it came from.
    public var source: ComponentSource
    /// Its version, when its source has one.
    public var version: SemanticVersion?
}
