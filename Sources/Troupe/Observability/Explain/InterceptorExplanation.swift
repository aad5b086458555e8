/// One interceptor of a node's composed chain, as ``WorkflowRuntime/explain(_:)`` describes it.
public struct InterceptorExplanation: Sendable, Hashable {
    /// Its name: as registered, or `retry` and `timeout` for the node's own fields.
    public var name: String
    /// Where the chain got it: `runtime` (`runtime.use`), `workflow`, `node`, or `node.retry` / `node.timeout`.
    public var placement: String
    /// What registered it: built in, the host, or a plugin.
    public var source: ComponentSource
    /// The plugin's file, for one from a plugin.
    public var file: String?
    /// The config as the workflow gives it.
    public var config: JSONValue
    /// Every setting in force, defaults included, for the built-in interceptors; `nil` for others.
    public var resolved: JSONValue?
    /// Whether it says it never suspends, which inline nodes need.
    public var neverSuspends: Bool
}
