/// One run of a whole workflow instance: what workflow interceptors receive.
public struct WorkflowCall: Sendable {
    /// The instance being run.
    public var instanceID: InstanceID
    /// The id of the workflow definition.
    public var workflowID: String
    /// The instance's input.
    public var input: JSONValue
    /// Metadata that every node call of this instance starts with.
    public var metadata: [String: String]

    /// Creates a call; the runtime makes these, tests and interceptors may too.
    public init(instanceID: InstanceID, workflowID: String, input: JSONValue = .null, metadata: [String: String] = [:]) {
        self.instanceID = instanceID
        self.workflowID = workflowID
        self.input = input
        self.metadata = metadata
    }
}
