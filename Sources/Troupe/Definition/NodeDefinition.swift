/// One node of a workflow: which executor runs it, with what configuration and settings.
public struct NodeDefinition: Sendable, Hashable {
    /// Unique within the workflow.
    public var id: String
    /// The executor kind, such as `"shell"`.
    public var kind: String
    /// Free-form configuration for the executor.
    public var config: JSONValue
    /// How failed attempts are retried; `nil` runs one attempt.
    public var retry: RetryPolicy?
    /// A limit on each attempt; past it the attempt is cancelled.
    public var timeout: Duration?
    /// Interceptors around this node only, outermost first, inside the workflow's.
    public var interceptors: [InterceptorReference]

    /// Creates a node.
    public init(
        _ id: String, kind: String, config: JSONValue = .null, retry: RetryPolicy? = nil,
        timeout: Duration? = nil, interceptors: [InterceptorReference] = []
    ) {
        self.id = id
        self.kind = kind
        self.config = config
        self.retry = retry
        self.timeout = timeout
        self.interceptors = interceptors
    }
}
