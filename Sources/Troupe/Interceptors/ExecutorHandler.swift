/// The innermost node handler: counts the attempt with the node, then calls the node's executor.
struct ExecutorHandler: NodeHandler {
    let executor: any NodeExecutor

    func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue {
        await context.attemptStarting(call)
        do {
            return try await executor.execute(call)
        } catch {
            await context.attemptFailed(call, error: error)
            throw error
        }
    }
}
