import Foundation

/// One attempt of one node of a run.
public struct NodeAttemptRecord: Sendable, Hashable {
    /// The run.
    public var runID: RunID
    /// The node's id.
    public var nodeID: String
    /// The attempt's number, from 1, continuing across resumes.
    public var attempt: Int
    /// `running`, `completed`, `failed`, `timedOut`, `cancelled` or `skipped`.
    public var status: NodeStatus
    /// When it started.
    public var startedAt: Date
    /// When it ended, if it has.
    public var endedAt: Date?
    /// The node's output, when it completed.
    public var output: JSONValue?
    /// The error's stable type name, when it did not.
    public var errorType: String?
    /// The error's message.
    public var error: String?
    /// When the node is next due: its next attempt while it waits to retry (the failed attempt's
    /// row), or the wake-up of a `sleep` node while it sleeps (the running attempt's row). A resumed
    /// run waits only for what is left of it.
    public var nextAttemptAt: Date?
    /// The child run of a `workflow` node.
    public var childRunID: RunID?
    /// The history entry of its start (of the attempt's run and node), recorded with it: a store
    /// may keep it in the attempt's row, and ``RunStore/events(of:)`` returns it in the history.
    public var startEvent: RunEventRecord?
    /// The history entry of its end, recorded with it as ``startEvent`` is.
    public var endEvent: RunEventRecord?

    /// An attempt as it starts or ends.
    public init(
        runID: RunID, nodeID: String, attempt: Int, status: NodeStatus, startedAt: Date, endedAt: Date? = nil,
        output: JSONValue? = nil, errorType: String? = nil, error: String? = nil, nextAttemptAt: Date? = nil, childRunID: RunID? = nil,
        startEvent: RunEventRecord? = nil, endEvent: RunEventRecord? = nil
    ) {
        self.runID = runID
        self.nodeID = nodeID
        self.attempt = attempt
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.output = output
        self.errorType = errorType
        self.error = error
        self.nextAttemptAt = nextAttemptAt
        self.childRunID = childRunID
        self.startEvent = startEvent
        self.endEvent = endEvent
    }
}
