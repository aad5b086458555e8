/// The outcome of one workflow instance.
public struct WorkflowResult: Sendable, Hashable {
    /// The instance.
    public var instanceID: InstanceID
    /// The id of the workflow definition.
    public var workflowID: String
    /// The overall status.
    public var status: InstanceStatus
    /// Every node's report, keyed by node id.
    public var nodes: [String: NodeReport]
    /// Wall time from start to end.
    public var duration: Duration
    /// Why the instance did not complete, when it did not.
    public var error: String?
    /// The stable type name of that error: the failed node's error type, `DeadlineExceeded`,
    /// `Cancelled`, or the type of the error a workflow interceptor threw.
    public var errorType: String?

    /// Creates a result.
    public init(
        instanceID: InstanceID, workflowID: String, status: InstanceStatus,
        nodes: [String: NodeReport], duration: Duration, error: String? = nil, errorType: String? = nil
    ) {
        self.instanceID = instanceID
        self.workflowID = workflowID
        self.status = status
        self.nodes = nodes
        self.duration = duration
        self.error = error
        self.errorType = errorType
    }
}
