import Foundation

/// A node attempt as it completes, its start's entry with it: the one row a completion writes when
/// this process started the attempt and nothing else ended it, kept as the few values it is made
/// from, as ``NodeAttemptStart`` is. The SQLite store binds it as it is; any other store is handed
/// ``record``.
struct NodeAttemptCompletion: Sendable {
    /// The attempt as it started.
    var start: NodeAttemptStart
    /// When it completed.
    var endedAt: Date
    /// What it returned.
    var output: JSONValue
    /// The number of its `nodeCompleted` entry in the run's history.
    var sequence: Int

    /// The attempt's row, `completed`, with its `nodeStarted` and `nodeCompleted` entries.
    var record: NodeAttemptRecord {
        var record = start.record
        record.status = .completed
        record.endedAt = endedAt
        record.output = output
        record.endEvent = RunEventRecord(
            runID: start.runID, sequence: sequence, date: endedAt, kind: "nodeCompleted", nodeID: start.nodeID,
            details: NodeAttemptStart.details(start.attempt))
        return record
    }
}
