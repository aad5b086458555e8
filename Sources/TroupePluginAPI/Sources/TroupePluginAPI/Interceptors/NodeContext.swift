/// The runtime's side of one node's run, passed down the chain with every call, as grpc-swift 2 and
/// Hummingbird pass a `context` beside the request.
///
/// One context belongs to one node of one instance for as long as that node runs; the runtime
/// implements it, and a test may pass its own (`TroupeTesting.RecordingNodeContext`).
///
/// - Thread safety: every requirement may be called from any task; the runtime serialises them.
/// - After the node has ended, calls are ignored: an interceptor that keeps the context cannot
///   change a finished node.
public protocol NodeContext: AnyObject, Sendable {
    /// Reports that attempt `attempt` failed with `error` and that another follows after `delay`.
    ///
    /// A retrying interceptor calls it before it waits: the node becomes `retrying` and a
    /// `nodeRetrying` event is published. The runtime counts attempts itself, so an interceptor
    /// that retries without calling this is still counted; its wait is then reported as zero.
    func retrying(afterAttempt attempt: Int, delay: Duration, error: any Error) async

    /// Called by the runtime's innermost handler each time a call reaches the executor.
    ///
    /// Interceptors do not call it; one that wraps a context must forward it.
    func attemptStarting(_ call: NodeCall) async

    /// Called by the runtime's innermost handler when the executor threw for an attempt.
    ///
    /// Interceptors do not call it; one that wraps a context must forward it.
    func attemptFailed(_ call: NodeCall, error: any Error) async

    /// Reports something an interceptor noticed about this call, published as an event of the instance.
    ///
    /// It never suspends, so an interceptor that says it ``NodeInterceptor/neverSuspends`` may call it.
    func note(_ note: InterceptorNote)
}

extension NodeContext {
    /// A context that keeps no notes (one written before notes existed) ignores them.
    public func note(_ note: InterceptorNote) {}
}
