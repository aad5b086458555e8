/// What ``WorkflowRuntime/signal(_:_:_:)`` did with a signal.
public enum SignalDelivery: Sendable, Hashable {
    /// The run runs in this runtime: a `wait` node received it, or it is kept for the next one that waits.
    case delivered
    /// Another process owns the run (or none does yet): the signal is recorded in the store and
    /// delivered by the run's owner at its next poll, or by the process that resumes the run.
    case recorded
}
