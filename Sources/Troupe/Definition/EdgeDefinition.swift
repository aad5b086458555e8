/// A dependency between two nodes: `to` runs after `from`, and only when the condition holds.
public struct EdgeDefinition: Sendable, Hashable {
    /// The source node's id.
    public var from: String
    /// The target node's id.
    public var to: String
    /// A test on the source node's output; `nil` always holds.
    public var condition: EdgeCondition?

    /// Creates an edge.
    public init(from: String, to: String, when condition: EdgeCondition? = nil) {
        self.from = from
        self.to = to
        self.condition = condition
    }
}
