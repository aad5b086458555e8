/// Where an instance is in its life: `pending → running ⇄ paused → completed | failed | cancelled | timedOut`,
/// or `pending → cancelled`.
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
        // Paused with nothing left to start: the nodes that were running decide how it ends.
        case (.paused, .completed), (.paused, .failed), (.paused, .cancelled), (.paused, .timedOut): return true
        default: return false
        }
    }
}
