/// What a plugin's entry point returns: its identity, what it provides and needs, and how to make its components.
public protocol PluginFactory: AnyObject, Sendable {
    /// The plugin's unique name.
    var name: String { get }
    /// Its semantic version, such as `"1.2.0"`.
    var version: String { get }
    /// One line on what it does.
    var summary: String { get }
    /// The interceptors and executors it provides.
    var provides: [PluginComponent] { get }
    /// The other plugins it needs.
    var requires: [PluginRequirement] { get }

    /// Sets the plugin up with its configuration before anything is made, throwing for bad configuration.
    func configure(with config: JSONValue) throws
    /// Makes the interceptor `name` from its configuration, throwing for bad configuration.
    func makeInterceptor(named name: String, config: JSONValue) throws -> any NodeInterceptor
    /// Makes the executor for `kind`, throwing for bad configuration.
    func makeExecutor(kind: String, config: JSONValue) throws -> any NodeExecutor
    /// Makes the hook-style middleware `name`, which the registry adapts to an interceptor.
    func makeLegacyMiddleware(named name: String, config: JSONValue) throws -> AnyLegacyMiddleware
    /// A short health report; `nil` means healthy.
    func healthProblem() -> String?
}

extension PluginFactory {
    /// Most plugins need no other plugin.
    public var requires: [PluginRequirement] { [] }

    /// Plugins need no setup unless they say otherwise.
    public func configure(with config: JSONValue) throws {}

    /// Plugins that provide no interceptor refuse to make one.
    public func makeInterceptor(named name: String, config: JSONValue) throws -> any NodeInterceptor {
        throw ExecutionError(type: "PluginComponentMissing", message: "plugin \(self.name) provides no interceptor \(name)")
    }

    /// Plugins that provide no executor refuse to make one.
    public func makeExecutor(kind: String, config: JSONValue) throws -> any NodeExecutor {
        throw ExecutionError(type: "PluginComponentMissing", message: "plugin \(self.name) provides no executor \(kind)")
    }

    /// Plugins that provide no legacy middleware refuse to make one.
    public func makeLegacyMiddleware(named name: String, config: JSONValue) throws -> AnyLegacyMiddleware {
        throw ExecutionError(type: "PluginComponentMissing", message: "plugin \(self.name) provides no legacy middleware \(name)")
    }

    /// Plugins are healthy unless they say otherwise.
    public func healthProblem() -> String? { nil }
}
