/// Why a `wait` node failed: no signal came within its `config.timeout`; its error type is `SignalTimeout`.
public struct SignalTimeout: Error, CustomStringConvertible, Sendable {
    /// The node that waited.
    public let node: String
    /// The signal it waited for.
    public let signal: String
    /// How long it waited.
    public let timeout: Duration

    /// Creates the error.
    public init(node: String, signal: String, timeout: Duration) {
        self.node = node
        self.signal = signal
        self.timeout = timeout
    }

    /// `wait node approval: no signal "approve" within 5 seconds`.
    public var description: String { "wait node \(node): no signal \"\(signal)\" within \(timeout)" }
}
