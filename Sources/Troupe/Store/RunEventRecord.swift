import Foundation

/// One entry of a run's stored history.
public struct RunEventRecord: Sendable, Hashable {
    /// The run.
    public var runID: RunID
    /// Its place in the run's history, from 0 like the run's live events (from 1 in a history
    /// stored before this numbering), gapless across resumes.
    public var sequence: Int
    /// When it happened.
    public var date: Date
    /// What happened: `runStarted`, `nodeStarted`, `nodeCompleted`, `runEnded`, ….
    public var kind: String
    /// The node it concerns, if any.
    public var nodeID: String?
    /// Details as JSON.
    public var details: JSONValue

    /// An entry of `runID`'s history.
    public init(runID: RunID, sequence: Int, date: Date = Date(), kind: String, nodeID: String? = nil, details: JSONValue = .null) {
        self.runID = runID
        self.sequence = sequence
        self.date = date
        self.kind = kind
        self.nodeID = nodeID
        self.details = details
    }
}
