
/// Every executor and interceptor a runtime can use, whatever its source, looked up by name.
///
/// Workflow validation checks node kinds and interceptor names against it.
public final class Registry: Sendable {
    /// Makes a node interceptor from the configuration given where a workflow names it.
    public typealias InterceptorFactory = @Sendable (_ config: JSONValue) throws -> any NodeInterceptor

    private struct Contents {
        var executors: [String: any NodeExecutor] = [:]
        var interceptors: [String: InterceptorFactory] = [:]
    }

    private let contents = LockedValue(Contents())

    /// Creates an empty registry.
    public init() {}

    /// Registers the executor for a node kind; a kind already registered is an error.
    public func register(executor: any NodeExecutor, forKind kind: String) throws(RegistryError) {
        try contents.withLock { (contents) throws(RegistryError) in
            guard contents.executors[kind] == nil else { throw RegistryError.duplicate(component: "executor", name: kind) }
            contents.executors[kind] = executor
        }
    }

    /// Registers an interceptor factory under a name; a name already registered is an error.
    public func register(interceptor name: String, factory: @escaping InterceptorFactory) throws(RegistryError) {
        try contents.withLock { (contents) throws(RegistryError) in
            guard contents.interceptors[name] == nil else { throw RegistryError.duplicate(component: "interceptor", name: name) }
            contents.interceptors[name] = factory
        }
    }

    /// The executor for a node kind, if one is registered.
    public func executor(forKind kind: String) -> (any NodeExecutor)? {
        contents.withLock { $0.executors[kind] }
    }

    /// Makes the named interceptor with its configuration.
    public func makeInterceptor(_ reference: InterceptorReference) throws -> any NodeInterceptor {
        guard let factory = contents.withLock({ $0.interceptors[reference.name] }) else {
            throw RegistryError.unknown(component: "interceptor", name: reference.name)
        }
        return try factory(reference.config)
    }

    /// The registered executor kinds, sorted.
    public var executorKinds: [String] { contents.withLock { $0.executors.keys.sorted() } }

    /// The registered interceptor names, sorted.
    public var interceptorNames: [String] { contents.withLock { $0.interceptors.keys.sorted() } }

    /// Whether an executor is registered for `kind`.
    public func hasExecutor(forKind kind: String) -> Bool { contents.withLock { $0.executors[kind] != nil } }

    /// Whether an interceptor is registered under `name`.
    public func hasInterceptor(named name: String) -> Bool { contents.withLock { $0.interceptors[name] != nil } }
}
