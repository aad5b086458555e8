/// A durable run's status in a store: an instance's statuses plus `blocked`.
public enum RunStatus: String, Sendable, Hashable, CaseIterable {
    /// Owned by a process that is running its nodes (or was, until it crashed: recovery resumes it).
    case running
    /// Paused; stays paused across restarts until resumed.
    case paused
    /// Every node completed or was skipped.
    case completed
    /// A node failed, a write failed, or recovery gave up.
    case failed
    /// Cancelled.
    case cancelled
    /// Ran past its deadline.
    case timedOut
    /// Recovery found that the components it ran with no longer resolve; see the run's error.
    case blocked

    /// Whether the run has ended for good (`blocked` and `paused` runs may still be resumed).
    public var isTerminal: Bool { [.completed, .failed, .cancelled, .timedOut].contains(self) }

    /// The status an instance's status is recorded as.
    public init(_ status: InstanceStatus) {
        switch status {
        case .pending, .running: self = .running
        case .paused: self = .paused
        case .completed: self = .completed
        case .failed: self = .failed
        case .cancelled: self = .cancelled
        case .timedOut: self = .timedOut
        }
    }
}
