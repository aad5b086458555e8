import Foundation

/// One run as a store holds it.
public struct RunRecord: Sendable, Hashable {
    /// The run's durable id.
    public var id: RunID
    /// The workflow's id.
    public var workflowID: String
    /// The workflow's semantic version, as written in its definition.
    public var workflowVersion: String
    /// The SHA-256 of the definition's canonical JSON (see ``DefinitionRecord``).
    public var definitionHash: String
    /// The run that started this one as a child workflow, if any.
    public var parentRunID: RunID?
    /// Where it stands.
    public var status: RunStatus
    /// The workflow input.
    public var input: JSONValue
    /// The run's output (every exit node's output by node id) once it has ended.
    public var output: JSONValue?
    /// Why it failed, was blocked or stopped.
    public var error: String?
    /// The error's stable type name.
    public var errorType: String?
    /// The instance metadata it was started with.
    public var metadata: [String: String]
    /// The key a second start with the same key is answered with this run by.
    public var idempotencyKey: String?
    /// When it was created.
    public var createdAt: Date
    /// When it ended, if it has.
    public var endedAt: Date?
    /// The absolute deadline, if the workflow has one; it stays the same across resumes.
    public var deadline: Date?
    /// How many times recovery has resumed it.
    public var recoveryAttempts: Int
    /// The store owner (a process) running it, while one does.
    public var owner: String?
    /// A request from another process (`cancel` or `pause`) for the owner to honour.
    public var request: String?
    /// The number of nodes of its definition.
    public var nodeCount: Int
    /// How many of them have completed (filled in by reads, ignored by writes).
    public var nodesCompleted: Int
    /// The highest sequence number of its history, -1 for none (filled in by reads, ignored by
    /// writes): a resumed run's history numbers on from it.
    public var lastEventSequence: Int
    /// The signals sent to it, in the order they were recorded (filled in by reads, ignored by writes).
    public var signals: [RunSignalRecord]

    /// A run about to start.
    public init(
        id: RunID, workflowID: String, workflowVersion: String, definitionHash: String, parentRunID: RunID? = nil,
        status: RunStatus = .running, input: JSONValue, metadata: [String: String] = [:], idempotencyKey: String? = nil,
        createdAt: Date = Date(), deadline: Date? = nil, nodeCount: Int
    ) {
        self.id = id
        self.workflowID = workflowID
        self.workflowVersion = workflowVersion
        self.definitionHash = definitionHash
        self.parentRunID = parentRunID
        self.status = status
        self.input = input
        self.output = nil
        self.error = nil
        self.errorType = nil
        self.metadata = metadata
        self.idempotencyKey = idempotencyKey
        self.createdAt = createdAt
        self.endedAt = nil
        self.deadline = deadline
        self.recoveryAttempts = 0
        self.owner = nil
        self.request = nil
        self.nodeCount = nodeCount
        self.nodesCompleted = 0
        self.lastEventSequence = -1
        self.signals = []
    }
}
