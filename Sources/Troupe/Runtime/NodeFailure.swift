/// How an error ends a node, decided once: a durable node's stored end and its live end then agree
/// even when a cancel comes between the two, since ``Task/isCancelled`` is read only when the
/// decision is made. The journal decides as it records the end and hands the decision on to the
/// node's actor, which reports the same end.
struct NodeFailure: Error {
    /// The end an error gives a node.
    enum End {
        case timedOut, cancelled, failed
    }

    /// The error the node's code threw.
    let error: any Error
    let end: End

    /// Decides now how `error` ends the node: a `NodeTimeoutError` times it out; a cancellation, or
    /// any error thrown while the task is cancelled, cancels it. A decision made before is kept.
    init(_ error: any Error) {
        if let decided = error as? NodeFailure {
            self = decided
            return
        }
        self.error = error
        end = error is NodeTimeoutError ? .timedOut : error is CancellationError || Task.isCancelled ? .cancelled : .failed
    }
}
