/// Middleware around a whole workflow instance.
///
/// Throwing fails the instance with that error; metadata set on the call reaches every node call.
public protocol WorkflowInterceptor: Sendable {
    /// Wraps one instance run; `next` runs the inner interceptors and the nodes.
    func intercept(_ call: WorkflowCall, next: any WorkflowHandler) async throws -> WorkflowResult
}
