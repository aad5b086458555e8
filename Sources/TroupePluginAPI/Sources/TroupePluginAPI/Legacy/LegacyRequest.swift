/// What old hook-style middleware sees of a node call: who is called, its headers, and its input.
public struct LegacyRequest: Sendable {
    /// The instance the node belongs to.
    public var instanceID: InstanceID
    /// The workflow's id.
    public var workflowID: String
    /// The node's id.
    public var nodeID: String
    /// The node's executor kind.
    public var kind: String
    /// The attempt number, from 1.
    public var attempt: Int
    /// Headers; changes made by a request hook reach inner interceptors and the executor.
    public var metadata: [String: String]
    /// The workflow input; changes made by a request hook reach the executor.
    public var input: JSONValue
    /// The outputs of the node's direct predecessors, keyed by node id.
    public var upstream: [String: JSONValue]

    /// The request for a node call.
    public init(_ call: NodeCall) {
        instanceID = call.instanceID
        workflowID = call.workflowID
        nodeID = call.nodeID
        kind = call.kind
        attempt = call.attempt
        metadata = call.metadata
        input = call.input
        upstream = call.upstream
    }

    /// `call` with this request's metadata, input and upstream outputs.
    public func applied(to call: NodeCall) -> NodeCall {
        var call = call
        call.metadata = metadata
        call.input = input
        call.upstream = upstream
        return call
    }
}
