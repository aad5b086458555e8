/// Builds a workflow's nodes and edges in Swift, with `if` and `for` as in any result builder.
///
/// ```swift
/// let workflow = WorkflowDefinition(id: "report", version: "1.0.0") {
///     NodeDefinition("fetch", kind: "shell", config: ["command": "date"]).retry(RetryPolicy(maximumAttempts: 3))
///     NodeDefinition("store", kind: "store").timeout(.seconds(5))
///     EdgeDefinition(from: "fetch", to: "store")
/// }
/// ```
@resultBuilder
public enum WorkflowBuilder {
    /// One node or edge, as the builder collects it.
    public enum Part: Sendable, Hashable {
        /// A node.
        case node(NodeDefinition)
        /// An edge.
        case edge(EdgeDefinition)
    }

    /// A node.
    public static func buildExpression(_ node: NodeDefinition) -> [Part] { [.node(node)] }
    /// An edge.
    public static func buildExpression(_ edge: EdgeDefinition) -> [Part] { [.edge(edge)] }
    /// Several edges, such as a chain made by ``EdgeDefinition/chain(_:)``.
    public static func buildExpression(_ edges: [EdgeDefinition]) -> [Part] { edges.map(Part.edge) }
    /// Statements in sequence.
    public static func buildBlock(_ parts: [Part]...) -> [Part] { parts.flatMap { $0 } }
    /// An `if` without `else`.
    public static func buildOptional(_ parts: [Part]?) -> [Part] { parts ?? [] }
    /// The `if` branch of an `if`/`else`.
    public static func buildEither(first parts: [Part]) -> [Part] { parts }
    /// The `else` branch of an `if`/`else`.
    public static func buildEither(second parts: [Part]) -> [Part] { parts }
    /// A `for` loop.
    public static func buildArray(_ parts: [[Part]]) -> [Part] { parts.flatMap { $0 } }
}

extension WorkflowDefinition {
    /// Creates a definition whose nodes and edges come from a builder block.
    public init(
        id: String, name: String? = nil, version: String = "1.0.0", description: String? = nil,
        strategy: ExecutionStrategy = .dag(), interceptors: [InterceptorReference] = [], deadline: Duration? = nil,
        @WorkflowBuilder content: () -> [WorkflowBuilder.Part]
    ) {
        var nodes: [NodeDefinition] = []
        var edges: [EdgeDefinition] = []
        for part in content() {
            switch part {
            case .node(let node): nodes.append(node)
            case .edge(let edge): edges.append(edge)
            }
        }
        self.init(
            id: id, name: name, version: version, description: description, nodes: nodes, edges: edges,
            strategy: strategy, interceptors: interceptors, deadline: deadline)
    }
}

extension NodeDefinition {
    /// The node with a retry policy.
    public func retry(_ policy: RetryPolicy) -> NodeDefinition {
        var node = self
        node.retry = policy
        return node
    }

    /// The node with a limit on each attempt.
    public func timeout(_ limit: Duration) -> NodeDefinition {
        var node = self
        node.timeout = limit
        return node
    }

    /// The node with interceptors added inside those it already has.
    public func intercepted(by references: InterceptorReference...) -> NodeDefinition {
        var node = self
        node.interceptors += references
        return node
    }
}

extension EdgeDefinition {
    /// Edges joining the nodes in sequence: `chain("a", "b", "c")` is a → b and b → c.
    public static func chain(_ ids: String...) -> [EdgeDefinition] {
        zip(ids, ids.dropFirst()).map { EdgeDefinition(from: $0, to: $1) }
    }
}
