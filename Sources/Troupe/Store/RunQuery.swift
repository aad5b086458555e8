import Foundation

/// Which runs ``RunStore/runs(_:)`` lists, newest first.
public struct RunQuery: Sendable, Hashable {
    /// Only runs with this status.
    public var status: RunStatus?
    /// Only runs of this workflow id.
    public var workflowID: String?
    /// Only runs created at or after this date.
    public var since: Date?
    /// At most this many.
    public var limit: Int

    /// A query; with no arguments, the 100 newest runs.
    public init(status: RunStatus? = nil, workflowID: String? = nil, since: Date? = nil, limit: Int = 100) {
        self.status = status
        self.workflowID = workflowID
        self.since = since
        self.limit = limit
    }
}
