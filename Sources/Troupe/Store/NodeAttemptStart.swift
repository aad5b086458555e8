import Foundation

/// A node attempt as it starts: the row ``StoreWrite/attemptStart(_:)`` writes, kept as the few
/// values it is made from. Most attempts end before the store's next transaction, whose write of
/// their end carries the start too, so a store may never need to make this row.
public struct NodeAttemptStart: Sendable, Hashable {
    /// The run.
    public var runID: RunID
    /// The node's id.
    public var nodeID: String
    /// The attempt's number, from 1, continuing across resumes.
    public var attempt: Int
    /// When it started.
    public var startedAt: Date
    /// The number of its `nodeStarted` entry in the run's history.
    public var sequence: Int

    /// An attempt of `nodeID` of `runID` starting at `startedAt`, its `nodeStarted` entry numbered `sequence`.
    public init(runID: RunID, nodeID: String, attempt: Int, startedAt: Date, sequence: Int) {
        self.runID = runID
        self.nodeID = nodeID
        self.attempt = attempt
        self.startedAt = startedAt
        self.sequence = sequence
    }

    /// The attempt's row as it starts, `running`, with its `nodeStarted` entry.
    public var record: NodeAttemptRecord {
        NodeAttemptRecord(
            runID: runID, nodeID: nodeID, attempt: attempt, status: .running, startedAt: startedAt,
            startEvent: RunEventRecord(
                runID: runID, sequence: sequence, date: startedAt, kind: "nodeStarted", nodeID: nodeID, details: Self.details(attempt)))
    }

    /// The details of an attempt's `nodeStarted` and `nodeCompleted` entries. The first attempt's,
    /// nearly every node's, is made once: not a dictionary allocated for each of its two entries.
    static func details(_ attempt: Int) -> JSONValue {
        attempt == 1 ? firstAttemptDetails : ["attempt": .integer(attempt)]
    }

    private static let firstAttemptDetails: JSONValue = ["attempt": .integer(1)]
}
