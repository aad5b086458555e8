/// Where a registered executor or interceptor came from.
public enum ComponentSource: Sendable, Hashable, CustomStringConvertible {
    /// Part of Troupe.
    case builtIn
    /// Registered in-process by the host program.
    case host
    /// Loaded from a plugin `.so`.
    case plugin(name: String, version: SemanticVersion, generation: Int)

    public var description: String {
        switch self {
        case .builtIn: return "built-in"
        case .host: return "host"
        case .plugin(let name, let version, let generation): return "plugin \(name) \(version) (generation \(generation))"
        }
    }
}
