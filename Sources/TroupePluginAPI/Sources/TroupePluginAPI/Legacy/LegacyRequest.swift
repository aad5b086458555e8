/// What old hook-style middleware sees of a node call: who is called, its headers, and its input.
///
/// It wraps the ``NodeCall`` itself, so that adapting a middleware copies the call once and hands
/// it on to the handler without rebuilding it; the node's identity is read-only, because only the
/// headers, the input and the upstream outputs reach the handler.
@frozen
public struct LegacyRequest: Sendable {
    @usableFromInline
    internal var _call: NodeCall

    /// The request for a node call.
    @inlinable
    public init(_ call: NodeCall) {
        _call = call
    }

    /// The instance the node belongs to.
    @inlinable public var instanceID: InstanceID { _call.instanceID }
    /// The workflow's id.
    @inlinable public var workflowID: String { _call.workflowID }
    /// The node's id.
    @inlinable public var nodeID: String { _call.nodeID }
    /// The node's executor kind.
    @inlinable public var kind: String { _call.kind }
    /// The attempt number, from 1.
    @inlinable public var attempt: Int { _call.attempt }

    /// Headers; changes made by a request hook reach inner interceptors and the executor.
    @inlinable public var metadata: [String: String] {
        get { _call.metadata }
        _modify { yield &_call.metadata }
    }

    /// The workflow input; changes made by a request hook reach the executor.
    @inlinable public var input: JSONValue {
        get { _call.input }
        _modify { yield &_call.input }
    }

    /// The outputs of the node's direct predecessors, keyed by node id.
    @inlinable public var upstream: [String: JSONValue] {
        get { _call.upstream }
        _modify { yield &_call.upstream }
    }

    /// The call the handler receives: the original one with this request's headers, input and upstream outputs.
    @inlinable public var call: NodeCall {
        _read { yield _call }
    }
}
