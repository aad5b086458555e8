/// A workflow blueprint: nodes, edges between them, and how to run them.
///
/// Entry nodes (no incoming edge) and exit nodes (no outgoing edge) are derived, not declared.
public struct WorkflowDefinition: Sendable, Hashable {
    /// A stable identifier, such as `"etl"`.
    public var id: String
    /// A human-readable name.
    public var name: String
    /// A semantic version such as `"1.2.0"`, checked by validation.
    public var version: String
    /// What the workflow does.
    public var description: String?
    /// The nodes; their ids are unique.
    public var nodes: [NodeDefinition]
    /// The edges, each from one node to another.
    public var edges: [EdgeDefinition]
    /// The order in which nodes run.
    public var strategy: ExecutionStrategy
    /// Interceptors around every node of this workflow, outermost first.
    public var interceptors: [InterceptorReference]
    /// A limit on the whole instance's run time; past it the instance ends as timed out.
    public var deadline: Duration?

    /// Creates a definition.
    public init(
        id: String, name: String? = nil, version: String = "1.0.0", description: String? = nil,
        nodes: [NodeDefinition] = [], edges: [EdgeDefinition] = [], strategy: ExecutionStrategy = .dag(),
        interceptors: [InterceptorReference] = [], deadline: Duration? = nil
    ) {
        self.id = id
        self.name = name ?? id
        self.version = version
        self.description = description
        self.nodes = nodes
        self.edges = edges
        self.strategy = strategy
        self.interceptors = interceptors
        self.deadline = deadline
    }

    /// The ids of nodes with no incoming edge, in declaration order.
    public var entryNodeIDs: [String] {
        let targets = Set(edges.map(\.to))
        return nodes.map(\.id).filter { !targets.contains($0) }
    }

    /// The ids of nodes with no outgoing edge, in declaration order.
    public var exitNodeIDs: [String] {
        let sources = Set(edges.map(\.from))
        return nodes.map(\.id).filter { !sources.contains($0) }
    }
}
