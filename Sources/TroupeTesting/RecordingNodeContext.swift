@_spi(Development) import Troupe

/// A `NodeContext` for calling interceptors and handlers directly in tests, without a runtime:
/// it records what the chain reported, in order.
public final class RecordingNodeContext: NodeContext {
    /// One report the chain made through the context.
    public enum Report: Sendable, Hashable {
        /// An interceptor reported a retry after `attempt`, waiting `delay`.
        case retrying(attempt: Int, delay: Duration, error: String)
        /// A call reached the executor with this attempt number.
        case attemptStarting(attempt: Int)
        /// The executor threw for this attempt.
        case attemptFailed(attempt: Int, error: String)
        /// An interceptor noted something.
        case note(InterceptorNote)
    }

    private let reports = LockedValue<[Report]>([])

    /// Creates a context with nothing recorded.
    public init() {}

    /// Everything reported so far, in order.
    public var recorded: [Report] { reports.withLock { $0 } }

    public func retrying(afterAttempt attempt: Int, delay: Duration, error: any Error) async {
        reports.withLock { $0.append(.retrying(attempt: attempt, delay: delay, error: "\(error)")) }
    }

    public func attemptStarting(_ call: NodeCall) async {
        reports.withLock { $0.append(.attemptStarting(attempt: call.attempt)) }
    }

    public func attemptFailed(_ call: NodeCall, error: any Error) async {
        reports.withLock { $0.append(.attemptFailed(attempt: call.attempt, error: "\(error)")) }
    }

    public func note(_ note: InterceptorNote) {
        reports.withLock { $0.append(.note(note)) }
    }

    /// The notes recorded so far, in order.
    public var notes: [InterceptorNote] {
        recorded.compactMap {
            guard case .note(let note) = $0 else { return nil }
            return note
        }
    }
}
