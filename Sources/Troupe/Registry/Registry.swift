/// Every executor and interceptor a runtime can use, whatever its source — built in, registered by
/// the host, or loaded from a plugin `.so` — looked up by name, optionally with a version range.
///
/// Workflow validation checks node kinds and interceptor names against it.
public final class Registry: Sendable {
    /// Makes a node interceptor from the configuration given where a workflow names it.
    public typealias InterceptorFactory = @Sendable (_ config: JSONValue) throws -> any NodeInterceptor

    struct ExecutorEntry: Sendable {
        let executor: any NodeExecutor
        let source: ComponentSource
        let version: SemanticVersion?
        let generation: PluginGeneration?
    }

    struct InterceptorEntry: Sendable {
        let factory: InterceptorFactory
        let source: ComponentSource
        let version: SemanticVersion?
        let generation: PluginGeneration?
        let isLegacy: Bool
    }

    struct Contents: Sendable {
        var executors: [String: ExecutorEntry] = [:]
        var interceptors: [String: InterceptorEntry] = [:]
        var plugins: [String: PluginState] = [:]
        var pluginOrder: [String] = []
        var failures: [PluginFailure] = []
    }

    let contents = LockedValue(Contents())
    let lifecycle = PluginLifecycleLog()
    /// Serialises loading and reloading, which are rare; lookups take only `contents`.
    let loading = LockedValue(())

    /// Creates an empty registry.
    public init() {}

    // MARK: Registering

    /// Registers the executor for a node kind; a kind already registered is an error.
    public func register(executor: any NodeExecutor, forKind kind: String, version: SemanticVersion? = nil) throws(RegistryError) {
        try add(executor: executor, forKind: kind, source: .host, version: version)
    }

    /// Registers an interceptor factory under a name; a name already registered is an error.
    public func register(interceptor name: String, version: SemanticVersion? = nil, factory: @escaping InterceptorFactory) throws(RegistryError) {
        try add(interceptor: name, entry: InterceptorEntry(factory: factory, source: .host, version: version, generation: nil, isLegacy: false))
    }

    func add(executor: any NodeExecutor, forKind kind: String, source: ComponentSource, version: SemanticVersion?) throws(RegistryError) {
        try contents.withLock { (contents) throws(RegistryError) in
            if let existing = contents.executors[kind] { throw RegistryError.duplicate(component: "executor", name: kind, existing: existing.source) }
            contents.executors[kind] = ExecutorEntry(executor: executor, source: source, version: version, generation: nil)
        }
    }

    func add(interceptor name: String, entry: InterceptorEntry) throws(RegistryError) {
        try contents.withLock { (contents) throws(RegistryError) in
            if let existing = contents.interceptors[name] { throw RegistryError.duplicate(component: "interceptor", name: name, existing: existing.source) }
            contents.interceptors[name] = entry
        }
    }

    // MARK: Looking up

    /// The executor for a node kind such as `files` or `files@^1.0`.
    public func executor(forKind kind: String) throws(RegistryError) -> any NodeExecutor {
        try resolveExecutor(kind).executor
    }

    /// Makes the named interceptor (such as `audit` or `audit@^1.2`) with its configuration.
    public func makeInterceptor(_ reference: InterceptorReference) throws -> any NodeInterceptor {
        try resolveInterceptor(reference.name).factory(reference.config)
    }

    func resolveExecutor(_ kind: String) throws(RegistryError) -> ExecutorEntry {
        let reference = try parse(kind)
        let entry = contents.withLock { $0.executors[reference.name] }
        return try check(entry, reference, component: "executor", known: { executorKinds })
    }

    func resolveInterceptor(_ name: String) throws(RegistryError) -> InterceptorEntry {
        let reference = try parse(name)
        let entry = contents.withLock { $0.interceptors[reference.name] }
        return try check(entry, reference, component: "interceptor", known: { interceptorNames })
    }

    private func parse(_ text: String) throws(RegistryError) -> ComponentReference {
        do {
            return try ComponentReference(text)
        } catch {
            throw RegistryError.invalidReference(text, reason: error.description)
        }
    }

    private func check<Entry: RegistryEntry>(
        _ entry: Entry?, _ reference: ComponentReference, component: String, known: () -> [String]
    ) throws(RegistryError) -> Entry {
        guard let entry else { throw RegistryError.unknown(component: component, name: reference.name, known: known()) }
        if let range = reference.versions, range != .any {
            guard let version = entry.version, range.contains(version) else {
                throw RegistryError.versionMismatch(component: component, name: reference.name, wanted: range.description, found: entry.version)
            }
        }
        return entry
    }

    /// Whether `kind` names a registered executor whose version fits; the problem when not.
    public func problem(withExecutor kind: String) -> RegistryError? {
        do {
            _ = try resolveExecutor(kind)
            return nil
        } catch {
            return error
        }
    }

    /// Whether `name` names a registered interceptor whose version fits; the problem when not.
    public func problem(withInterceptor name: String) -> RegistryError? {
        do {
            _ = try resolveInterceptor(name)
            return nil
        } catch {
            return error
        }
    }

    /// The registered executor kinds, sorted.
    public var executorKinds: [String] { contents.withLock { $0.executors.keys.sorted() } }

    /// The registered interceptor names, sorted.
    public var interceptorNames: [String] { contents.withLock { $0.interceptors.keys.sorted() } }

    /// Everything registered, with its source and version, sorted by name.
    public var components: [RegisteredComponent] {
        contents.withLock { contents in
            contents.executors.map { RegisteredComponent(component: .executor($0.key), source: $0.value.source, version: $0.value.version) }
                + contents.interceptors.map { name, entry in
                    RegisteredComponent(component: entry.isLegacy ? .legacyMiddleware(name) : .interceptor(name), source: entry.source, version: entry.version)
                }
        }.sorted { ($0.component.name, $0.component.description) < ($1.component.name, $1.component.description) }
    }
}

/// What the registry's version check needs from an entry.
protocol RegistryEntry {
    var version: SemanticVersion? { get }
}

extension Registry.ExecutorEntry: RegistryEntry {}
extension Registry.InterceptorEntry: RegistryEntry {}
