import Foundation

/// Which runs ``RunStore/runs(_:)`` lists, newest first.
public struct RunQuery: Sendable, Hashable {
    /// Only runs with this status.
    public var status: RunStatus?
    /// Only runs of this workflow id.
    public var workflowID: String?
    /// Only runs created at or after this date.
    public var since: Date?
    /// Only runs this store owner (``RunStore/owner``) holds.
    public var owner: String?
    /// Only runs with something for their owner to honour: a ``RunRecord/request`` or a pending signal.
    public var hasPendingRequests: Bool
    /// At most this many.
    public var limit: Int

    /// A query; with no arguments, the 100 newest runs.
    public init(
        status: RunStatus? = nil, workflowID: String? = nil, since: Date? = nil, owner: String? = nil, hasPendingRequests: Bool = false,
        limit: Int = 100
    ) {
        self.status = status
        self.workflowID = workflowID
        self.since = since
        self.owner = owner
        self.hasPendingRequests = hasPendingRequests
        self.limit = limit
    }
}
