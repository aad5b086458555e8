/// Where a node is in its life: `pending → running → (retrying → running)* → completed | failed | cancelled | timedOut`,
/// or `pending → skipped | cancelled`. A retry's wait may also end the node: an outer timeout, a
/// cancel, or an outer interceptor that returns a fallback output.
@frozen
public enum NodeStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Not started yet.
    case pending
    /// An attempt is executing.
    case running
    /// An attempt failed and another will follow.
    case retrying
    /// Finished with an output.
    case completed
    /// Finished with an error after its last attempt.
    case failed
    /// Stopped by cancellation, or never started because the instance was cancelled.
    case cancelled
    /// Ran past its timeout.
    case timedOut
    /// Not run: a condition on an incoming edge was false, or an upstream node did not complete.
    case skipped

    /// Whether the node is finished and will not change again.
    public var isTerminal: Bool {
        switch self {
        case .pending, .running, .retrying: return false
        case .completed, .failed, .cancelled, .timedOut, .skipped: return true
        }
    }

    /// Whether the state machine allows moving from this status to `next`.
    public func canTransition(to next: NodeStatus) -> Bool {
        switch (self, next) {
        case (.pending, .running), (.pending, .skipped), (.pending, .cancelled): return true
        case (.running, .retrying), (.running, .completed), (.running, .failed),
            (.running, .cancelled), (.running, .timedOut):
            return true
        case (.retrying, .running), (.retrying, .completed), (.retrying, .failed),
            (.retrying, .cancelled), (.retrying, .timedOut):
            return true
        default: return false
        }
    }
}
