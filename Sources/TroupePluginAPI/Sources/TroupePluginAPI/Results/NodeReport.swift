/// What happened to one node of an instance.
public struct NodeReport: Sendable, Hashable {
    /// The node's final (or current) status.
    public var status: NodeStatus
    /// The output, when the node completed.
    public var output: JSONValue?
    /// How many attempts ran.
    public var attempts: Int
    /// Time from the first attempt's start to the end of the last one.
    public var duration: Duration
    /// The last error, when the node did not complete.
    public var error: String?

    /// Creates a report.
    public init(status: NodeStatus, output: JSONValue? = nil, attempts: Int = 0, duration: Duration = .zero, error: String? = nil) {
        self.status = status
        self.output = output
        self.attempts = attempts
        self.duration = duration
        self.error = error
    }
}
