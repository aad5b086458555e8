/// Does the work of one node kind.
public protocol NodeExecutor: Sendable {
    /// Whether `execute` finishes without suspending, so the runtime may run it inline
    /// rather than pay for a new task (a task costs microseconds; a trivial node, nanoseconds).
    var runsInline: Bool { get }

    /// Runs the node and returns its output.
    func execute(_ call: NodeCall) async throws -> JSONValue
}

extension NodeExecutor {
    /// Executors suspend unless they say otherwise.
    public var runsInline: Bool { false }
}
