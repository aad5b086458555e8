extension Registry {
    /// Makes a legacy middleware from the configuration given where a workflow names it.
    public typealias LegacyMiddlewareFactory = @Sendable (_ config: JSONValue) throws -> AnyLegacyMiddleware

    /// Registers hook-style middleware under a name; workflows name it like any interceptor, and the
    /// registry adapts it with ``LegacyMiddlewareInterceptor``.
    public func register(legacyMiddleware name: String, version: SemanticVersion? = nil, factory: @escaping LegacyMiddlewareFactory) throws(RegistryError) {
        try add(
            interceptor: name,
            entry: InterceptorEntry(
                factory: { LegacyMiddlewareInterceptor(name: name, middleware: try factory($0)) }, source: .host, version: version,
                generation: nil, isLegacy: true))
    }

    /// The configuration written where a workflow names the middleware wins; without one, the plugin's load configuration.
    func legacyInterceptorFactory(_ plugin: any PluginFactory, named name: String, loadConfig: JSONValue) -> InterceptorFactory {
        { config in
            LegacyMiddlewareInterceptor(name: name, middleware: try plugin.makeLegacyMiddleware(named: name, config: config == .null ? loadConfig : config))
        }
    }
}
