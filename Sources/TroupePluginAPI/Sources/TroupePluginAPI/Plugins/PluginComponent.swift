/// One thing a plugin provides, by the name workflows use for it.
public enum PluginComponent: Sendable, Hashable, CustomStringConvertible {
    /// A node interceptor, named in a node's or workflow's `interceptors` list.
    case interceptor(String)
    /// An executor, named by a node's `kind`.
    case executor(String)
    /// Old hook-style middleware, adapted by the registry to run as a node interceptor.
    case legacyMiddleware(String)

    /// The name workflows use.
    public var name: String {
        switch self {
        case .interceptor(let name), .executor(let name), .legacyMiddleware(let name): return name
        }
    }

    public var description: String {
        switch self {
        case .interceptor(let name): return "interceptor \(name)"
        case .executor(let name): return "executor \(name)"
        case .legacyMiddleware(let name): return "legacy middleware \(name) (adapted)"
        }
    }
}
