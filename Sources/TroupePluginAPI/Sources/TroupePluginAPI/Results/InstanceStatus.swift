/// Where an instance is in its life: `pending → running ⇄ paused → completed | failed | cancelled | timedOut`.
@frozen
public enum InstanceStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Created, not started.
    case pending
    /// Running nodes.
    case running
    /// Running nodes may finish; no new node starts until resumed.
    case paused
    /// Every node completed or was skipped.
    case completed
    /// A node failed, or a workflow interceptor threw.
    case failed
    /// Cancelled by its host or its parent.
    case cancelled
    /// Ran past the workflow's deadline.
    case timedOut

    /// Whether the instance is finished and will not change again.
    public var isTerminal: Bool {
        switch self {
        case .pending, .running, .paused: return false
        case .completed, .failed, .cancelled, .timedOut: return true
        }
    }

    /// Whether the state machine allows moving from this status to `next`.
    public func canTransition(to next: InstanceStatus) -> Bool {
        switch (self, next) {
        case (.pending, .running), (.pending, .cancelled): return true
        case (.running, .paused), (.paused, .running): return true
        case (.running, .completed), (.running, .failed), (.running, .cancelled), (.running, .timedOut): return true
        case (.paused, .cancelled), (.paused, .timedOut), (.paused, .failed): return true
        default: return false
        }
    }
}
