import Foundation

/// A signal sent to a stored run's `wait` nodes, kept in the store until the run is pruned so that
/// a crash of the process that owns the run loses none (see ``WorkflowRuntime/signal(_:_:_:)``).
public struct RunSignalRecord: Sendable, Hashable {
    /// Where a stored signal stands.
    public enum Status: String, Sendable, Hashable {
        /// Recorded for the owner to deliver at its next poll.
        case pending
        /// Handed to the run's instance; a resumed run gets it again unless a completed `wait` node took it.
        case delivered
        /// No `wait` node of the run could receive it.
        case refused
    }

    /// Unique among the store's signals.
    public var id: String
    /// The run.
    public var runID: RunID
    /// The signal's name (a `wait` node's `config.signal`).
    public var name: String
    /// Its value, a `wait` node's output.
    public var value: JSONValue
    /// When it was sent.
    public var sentAt: Date
    /// Where it stands.
    public var status: Status

    /// A signal about to be recorded, with a new unique id.
    public init(runID: RunID, name: String, value: JSONValue, sentAt: Date = Date(), status: Status = .pending) {
        self.init(id: RunID(date: sentAt).rawValue, runID: runID, name: name, value: value, sentAt: sentAt, status: status)
    }

    /// A signal as a store holds it.
    public init(id: String, runID: RunID, name: String, value: JSONValue, sentAt: Date, status: Status) {
        self.id = id
        self.runID = runID
        self.name = name
        self.value = value
        self.sentAt = sentAt
        self.status = status
    }
}
