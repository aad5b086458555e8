/// The rest of an instance's pipeline: the inner workflow interceptors and then the run itself.
public protocol WorkflowHandler: Sendable {
    /// Runs the instance and returns its result.
    func handle(_ call: WorkflowCall) async throws -> WorkflowResult
}
