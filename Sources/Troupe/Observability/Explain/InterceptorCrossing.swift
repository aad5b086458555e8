/// A node call entering or leaving one interceptor of its chain, for `troupe run --verbose`
/// (see ``WorkflowRuntime/reportInterceptorCrossings(_:)``).
public struct InterceptorCrossing: Sendable, Hashable {
    /// Whether the call is entering the interceptor or leaving it.
    public enum Direction: String, Sendable, Hashable {
        /// The call reached it.
        case entry
        /// It returned or threw.
        case exit
    }

    /// The instance.
    public var instanceID: InstanceID
    /// The node.
    public var nodeID: String
    /// The call's attempt as the interceptor sees it.
    public var attempt: Int
    /// The interceptor's name (`cache`, `retry`, or a type name for one the runtime cannot name).
    public var interceptor: String
    /// Its place in the chain, 1 for the outermost.
    public var position: Int
    /// How many interceptors the chain has.
    public var chainLength: Int
    /// Entry or exit.
    public var direction: Direction
    /// For an exit by a throw, the error.
    public var error: String?
    /// For an exit, the time since the entry.
    public var duration: Duration?
}
