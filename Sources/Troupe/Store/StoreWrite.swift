import Foundation

/// One change a store commits; the writes of one ``RunStore/commit(_:)`` are one transaction.
public enum StoreWrite: Sendable, Hashable {
    /// Inserts or replaces one node attempt (keyed by run, node and attempt number); a start or end
    /// event it does not carry stays as recorded before, so its start's write and its end's can be one.
    case attempt(NodeAttemptRecord)
    /// Inserts or replaces a node attempt's row as it starts (``NodeAttemptStart/record``), as
    /// `.attempt(start.record)` would; a store that finds a later write of the same attempt in the
    /// same transaction may write that one alone, with this start's entry where it lacks one.
    case attemptStart(NodeAttemptStart)
    /// Appends one entry to a run's history.
    case event(RunEventRecord)
    /// Sets a run's status, with its output and error when it ends; a terminal status also clears its owner.
    case status(RunID, RunStatus, output: JSONValue? = nil, error: String? = nil, errorType: String? = nil, at: Date = Date())
    /// Sets or clears a request (`cancel`, `pause`) for the process that owns the run.
    case request(RunID, String?)
    /// Clears the run's request if it is still `request`: one written since it was read stays for the owner's next look.
    case clearRequest(RunID, String)
    /// Records a signal for a run, after the run's earlier ones.
    case signal(RunSignalRecord)
    /// Sets a recorded signal's status.
    case signalStatus(id: String, RunSignalRecord.Status)
}
