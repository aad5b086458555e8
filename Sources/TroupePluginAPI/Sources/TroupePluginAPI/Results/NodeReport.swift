/// What happened to one node of an instance.
public struct NodeReport: Sendable, Hashable {
    /// The node's final (or current) status.
    public var status: NodeStatus
    /// The output, when the node completed.
    public var output: JSONValue?
    /// How many attempts reached the executor, whichever interceptor retried them.
    public var attempts: Int
    /// Time from the first attempt's start to the end of the last one.
    public var duration: Duration
    /// The last error, when the node failed, timed out or was cancelled.
    public var error: String?
    /// The stable type name of that error (see ``errorTypeName(of:)``), the name retry policies match.
    public var errorType: String?
    /// Why the node did not run, when it was skipped.
    public var skipReason: String?

    /// Creates a report.
    public init(
        status: NodeStatus, output: JSONValue? = nil, attempts: Int = 0, duration: Duration = .zero,
        error: String? = nil, errorType: String? = nil, skipReason: String? = nil
    ) {
        self.status = status
        self.output = output
        self.attempts = attempts
        self.duration = duration
        self.error = error
        self.errorType = errorType
        self.skipReason = skipReason
    }
}
