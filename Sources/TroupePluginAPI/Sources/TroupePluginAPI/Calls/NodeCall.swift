/// One execution of one node: what its executor and interceptors receive.
public struct NodeCall: Sendable {
    /// The instance the node belongs to.
    public var instanceID: InstanceID
    /// The id of the workflow definition.
    public var workflowID: String
    /// The node's id, unique within its workflow.
    public var nodeID: String
    /// The executor kind that runs the node.
    public var kind: String
    /// The node's free-form configuration from the definition.
    public var config: JSONValue
    /// The workflow instance's input.
    public var input: JSONValue
    /// The outputs of the node's direct predecessors, keyed by node id.
    public var upstream: [String: JSONValue]
    /// The attempt number, from 1; retries increase it.
    public var attempt: Int
    /// String-keyed metadata (headers) that interceptors may read and change on the way in.
    public var metadata: [String: String]

    /// Creates a call; the runtime makes these, tests and interceptors may too.
    public init(
        instanceID: InstanceID, workflowID: String, nodeID: String, kind: String,
        config: JSONValue = .null, input: JSONValue = .null, upstream: [String: JSONValue] = [:],
        attempt: Int = 1, metadata: [String: String] = [:]
    ) {
        self.instanceID = instanceID
        self.workflowID = workflowID
        self.nodeID = nodeID
        self.kind = kind
        self.config = config
        self.input = input
        self.upstream = upstream
        self.attempt = attempt
        self.metadata = metadata
    }
}
