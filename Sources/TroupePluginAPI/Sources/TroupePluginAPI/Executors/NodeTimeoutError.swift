/// Thrown when a node's attempt ran past its timeout; the runtime reports the node as timed out.
public struct NodeTimeoutError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The node that ran too long.
    public var nodeID: String
    /// The limit it exceeded.
    public var timeout: Duration

    /// Creates the error for a node and its limit.
    public init(nodeID: String, timeout: Duration) {
        self.nodeID = nodeID
        self.timeout = timeout
    }

    public var description: String { "node \(nodeID) timed out after \(timeout)" }
}
