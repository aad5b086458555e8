/// The innermost workflow handler: runs the instance's nodes.
struct NodesHandler: WorkflowHandler {
    let instance: WorkflowInstance

    func handle(_ call: WorkflowCall) async throws -> WorkflowResult {
        await instance.runNodes(call)
    }
}
