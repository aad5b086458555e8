import Foundation

/// Something that happened to a workflow instance, in the order it happened.
public struct WorkflowEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// The instance began running.
        case instanceStarted
        /// A node's attempt began.
        case nodeStarted(node: String, attempt: Int)
        /// A node finished with an output.
        case nodeCompleted(node: String, duration: Duration)
        /// A node failed after its last attempt.
        case nodeFailed(node: String, error: String, duration: Duration)
        /// A node's attempt failed and another follows after `delay`.
        case nodeRetrying(node: String, attempt: Int, delay: Duration, error: String)
        /// A node ran past its timeout.
        case nodeTimedOut(node: String, duration: Duration)
        /// A node was cancelled, running or not yet started.
        case nodeCancelled(node: String)
        /// A node will not run.
        case nodeSkipped(node: String, reason: String)
        /// A `wait` node began waiting for the signal `signal`, none having been sent before.
        case nodeWaiting(node: String, signal: String)
        /// A `wait` node received the signal `signal`; its completion follows.
        case nodeSignalled(node: String, signal: String)
        // What an interceptor reported through `NodeContext.note`.
        /// An interceptor of a node's call noted something: a cache hit, a limiter's wait, a breaker's change, a warning.
        case interceptorNote(node: String, note: InterceptorNote)
        /// The instance stopped starting nodes.
        case paused
        /// The instance started nodes again.
        case resumed
        /// The instance ended: cancelled.
        case cancelled(duration: Duration)
        /// The instance ended: every node completed or was skipped.
        case completed(duration: Duration)
        /// The instance ended: a node failed or an interceptor threw.
        case failed(error: String, duration: Duration)
        /// The instance ended: it ran past the workflow's deadline.
        case timedOut(duration: Duration)

        /// Whether this is the instance's last event.
        public var isFinal: Bool {
            switch self {
            case .cancelled, .completed, .failed, .timedOut: return true
            default: return false
            }
        }
    }

    /// The instance it happened to.
    public var instanceID: InstanceID
    /// The instance's workflow id.
    public var workflowID: String
    /// The event's position in its instance's stream, from 0 (a resumed durable run's goes on from its stored history).
    public var sequence: Int
    /// When it happened.
    public var timestamp: Date
    /// What happened.
    public var kind: Kind
}
