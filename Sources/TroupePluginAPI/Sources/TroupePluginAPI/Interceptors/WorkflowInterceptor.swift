/// Middleware around a whole workflow instance.
///
/// Throwing fails the instance with that error; input and metadata set on the call reach every
/// node call. One interceptor value serves every instance concurrently, so it must be reentrant;
/// cancelling the instance cancels the task running `intercept`. A returned result whose status
/// cannot end the instance (not terminal, or not reachable) fails the instance with a message saying so.
public protocol WorkflowInterceptor: Sendable {
    /// Wraps one instance run; `next` runs the inner interceptors and the nodes.
    func intercept(_ call: WorkflowCall, context: any WorkflowContext, next: any WorkflowHandler) async throws -> WorkflowResult
}
