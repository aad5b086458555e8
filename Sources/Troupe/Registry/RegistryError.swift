/// A registration or lookup the registry refused.
public enum RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Something is already registered under this name.
    case duplicate(component: String, name: String)
    /// Nothing is registered under this name.
    case unknown(component: String, name: String)

    public var description: String {
        switch self {
        case .duplicate(let component, let name): return "\(component) \"\(name)\" is already registered"
        case .unknown(let component, let name): return "no \(component) is registered as \"\(name)\""
        }
    }
}
