/// The innermost node handler: calls the node's executor.
struct ExecutorHandler: NodeHandler {
    let executor: any NodeExecutor

    func handle(_ call: NodeCall) async throws -> JSONValue {
        try await executor.execute(call)
    }
}
