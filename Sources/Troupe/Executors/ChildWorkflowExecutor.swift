import Foundation

/// The `workflow` kind: runs another definition as a child instance and outputs its exit nodes'
/// outputs keyed by node id. Cancelling the parent cancels the child.
///
/// Config: `definition` (an inline workflow object) or `path` (a workflow file), and optional
/// `input` for the child (default: the parent's input).
struct ChildWorkflowExecutor: NodeExecutor {
    weak let runtime: WorkflowRuntime?

    func execute(_ call: NodeCall) async throws -> JSONValue {
        guard let runtime else { throw ExecutionError(type: "RuntimeGone", message: "the runtime that owned node \(call.nodeID) was released") }
        let definition = try childDefinition(call)
        let handle = try await runtime.start(definition, input: call.config["input"] ?? call.input, metadata: call.metadata)
        let result = await withTaskCancellationHandler {
            await handle.result
        } onCancel: {
            handle.cancel()
        }
        try Task.checkCancellation()
        guard result.status == .completed else {
            throw ExecutionError(
                type: "ChildWorkflow", message: "child workflow \(definition.id) \(result.status.rawValue): \(result.error ?? "")",
                details: ["instance": .string(result.instanceID.description), "status": .string(result.status.rawValue)])
        }
        var outputs: [String: JSONValue] = [:]
        for id in definition.exitNodeIDs { outputs[id] = result.nodes[id]?.output ?? .null }
        return .object(outputs)
    }

    private func childDefinition(_ call: NodeCall) throws -> WorkflowDefinition {
        switch (call.config["definition"], call.config["path"]) {
        case (let inline?, nil):
            return try WorkflowDefinition(jsonValue: inline)
        case (nil, .string(let path)?):
            return try WorkflowDefinition(contentsOf: URL(fileURLWithPath: path))
        default:
            throw ExecutionError(type: "InvalidConfig", message: "workflow node \(call.nodeID): config needs exactly one of 'definition' (an object) or 'path' (a string)")
        }
    }
}
