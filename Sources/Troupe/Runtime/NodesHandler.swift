/// The innermost workflow handler: runs the nodes of the instance whose context it is given.
struct NodesHandler: WorkflowHandler {
    func handle(_ call: WorkflowCall, context: any WorkflowContext) async throws -> WorkflowResult {
        guard let instance = context as? WorkflowInstance else {
            throw ExecutionError(
                type: "InvalidContext",
                message: "a workflow interceptor passed on a context that is not the one the runtime gave it; hand on the context you receive")
        }
        return await instance.runNodes(input: call.input, metadata: call.metadata)
    }
}
