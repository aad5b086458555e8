/// A value that broke a `validate` schema with `strict: false`: the call went on, and this was kept.
public struct ValidationWarning: Sendable, Hashable, CustomStringConvertible {
    /// The instance whose node was called.
    public var instanceID: InstanceID
    /// The node's workflow.
    public var workflowID: String
    /// The node.
    public var nodeID: String
    /// Which value was checked: `"input"` or `"output"`.
    public var phase: String
    /// Every way it broke the schema.
    public var violations: [SchemaViolation]

    public var description: String {
        "\(workflowID)/\(nodeID) (instance \(instanceID)) \(phase): " + violations.map(\.description).joined(separator: "; ")
    }
}
