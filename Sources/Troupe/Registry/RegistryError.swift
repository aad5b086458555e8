/// A registration or lookup the registry refused.
public enum RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Something is already registered under this name.
    case duplicate(component: String, name: String, existing: ComponentSource)
    /// Nothing is registered under this name.
    case unknown(component: String, name: String, known: [String])
    /// Something is registered, but not in the versions asked for.
    case versionMismatch(component: String, name: String, wanted: String, found: SemanticVersion?)
    /// The name's version range does not parse.
    case invalidReference(String, reason: String)

    public var description: String {
        switch self {
        case .duplicate(let component, let name, let existing):
            return "\(component) \"\(name)\" is already registered (by \(existing))"
        case .unknown(let component, let name, let known):
            return "unknown \(component) \"\(name)\" (registered: \(known.isEmpty ? "none" : known.joined(separator: ", ")))"
        case .versionMismatch(let component, let name, let wanted, let found):
            return "\(component) \"\(name)\" is \(found.map { "version \($0)" } ?? "unversioned"), which is not in \(wanted)"
        case .invalidReference(let text, let reason):
            return "\"\(text)\": \(reason)"
        }
    }
}
