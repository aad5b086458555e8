/// An interceptor named in a workflow, with its configuration.
public struct InterceptorReference: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The name it is registered under.
    public var name: String
    /// Its configuration.
    public var config: JSONValue

    /// Refers to a registered interceptor.
    public init(_ name: String, config: JSONValue = .null) {
        self.name = name
        self.config = config
    }

    public init(stringLiteral name: String) { self.init(name) }
}
