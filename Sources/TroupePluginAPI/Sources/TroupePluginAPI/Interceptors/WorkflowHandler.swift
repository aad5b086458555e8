/// The rest of an instance's pipeline: the inner workflow interceptors and then the run itself.
///
/// Composed once per prepared workflow and shared by its instances: `handle` must be reentrant.
public protocol WorkflowHandler: Sendable {
    /// Runs the instance and returns its result.
    func handle(_ call: WorkflowCall, context: any WorkflowContext) async throws -> WorkflowResult
}
