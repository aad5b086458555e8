import Foundation

/// The `workflow` kind: runs another definition as a child instance and outputs its exit nodes'
/// outputs keyed by node id.
///
/// The child runs in the node's own task (structured), so cancelling or timing out the node
/// cancels the child, and nothing of the node's task leaks into it but its nesting depth, which is
/// bounded so that a definition that includes itself ends in an error instead of exhausting memory.
///
/// Inside a durable run, the child is a durable run of its own (its ``RunRecord/parentRunID`` the
/// parent run, its id in the node's attempt row), awaited by the node and cancelled with it; when
/// the parent resumes, the node re-attaches to it (see `ChildWorkflowExecutor+ChildRun.swift`).
///
/// Config: `definition` (an inline workflow object) or `path` (a workflow file), and optional
/// `input` for the child (default: the parent's input).
struct ChildWorkflowExecutor: NodeExecutor {
    /// How deep `workflow` nodes may nest.
    static let maximumDepth = 32

    @TaskLocal static var depth = 0

    weak let runtime: WorkflowRuntime?

    /// The call's metadata with its `traceparent` naming this node attempt's span, so that the child's trace continues the parent's.
    private static func continuingTrace(_ call: NodeCall) -> [String: String] {
        guard let parent = call.metadata["traceparent"].flatMap(TraceContext.init(traceparent:)) else { return call.metadata }
        var metadata = call.metadata
        metadata["traceparent"] = parent.nodeAttempt(call.nodeID, call.attempt).traceparent
        return metadata
    }

    func execute(_ call: NodeCall) async throws -> JSONValue {
        guard let runtime else { throw ExecutionError(type: "RuntimeGone", message: "the runtime that owned node \(call.nodeID) was released") }
        guard Self.depth < Self.maximumDepth else {
            throw ExecutionError(
                type: "NestingTooDeep",
                message: "workflow node \(call.nodeID): child workflows nest deeper than \(Self.maximumDepth); does a definition include itself?")
        }
        let definition = try childDefinition(call)
        let prepared = try runtime.prepare(definition)
        // The child's calls' keys extend the node's key, the same whichever child run they run in.
        var metadata = Self.continuingTrace(call)
        if let key = RunJournal.idempotencyKey(of: call) {
            metadata[RunJournal.idempotencyKeyPrefix] = key
            metadata[RunJournal.idempotencyKey] = nil
        }
        let input = call.config["input"] ?? call.input
        let result: WorkflowResult
        if let journal = runtime.journal, let parent = journal.run(of: call.instanceID), let durable = prepared.durable {
            let child = try await Self.$depth.withValue(Self.depth + 1) { [metadata] in
                try await Self.childRun(durable, of: parent, call: call, input: input, metadata: metadata, runtime: runtime, journal: journal)
            }
            switch child {
            case .ended(let output): return Self.exitOutputs(output, of: definition)
            case .result(let childResult): result = childResult
            }
        } else {
            result = await Self.$depth.withValue(Self.depth + 1) { [metadata] in
                await runtime.run(prepared, input: input, metadata: metadata)
            }
        }
        try Task.checkCancellation()
        guard result.status == .completed else {
            throw ExecutionError(
                type: "ChildWorkflow", message: "child workflow \(definition.id) \(result.status.rawValue): \(result.error ?? "")",
                details: [
                    "instance": .string(result.instanceID.description), "status": .string(result.status.rawValue),
                    "errorType": result.errorType.map(JSONValue.string) ?? .null,
                ])
        }
        var outputs: [String: JSONValue] = [:]
        for id in definition.exitNodeIDs { outputs[id] = result.nodes[id]?.output ?? .null }
        return .object(outputs)
    }

    /// The node's output from a child run's stored output (every completed node's, by id).
    static func exitOutputs(_ output: JSONValue?, of definition: WorkflowDefinition) -> JSONValue {
        var outputs: [String: JSONValue] = [:]
        for id in definition.exitNodeIDs { outputs[id] = output?[id] ?? .null }
        return .object(outputs)
    }

    private func childDefinition(_ call: NodeCall) throws -> WorkflowDefinition {
        switch (call.config["definition"], call.config["path"]) {
        case (let inline?, nil):
            return try WorkflowDefinition(jsonValue: inline)
        case (nil, .string(let path)?):
            let file = URL(fileURLWithPath: path).standardizedFileURL
            return Self.resolvingChildPaths(in: try WorkflowDefinition(contentsOf: file), from: file.deletingLastPathComponent())
        default:
            throw ExecutionError(
                type: "InvalidConfig", message: "workflow node \(call.nodeID): config needs exactly one of 'definition' (an object) or 'path' (a string)")
        }
    }

    /// A file's own relative child paths name files beside it, as validation reads them: made
    /// absolute here, so that running a nested include reads the same file that was validated.
    private static func resolvingChildPaths(in definition: WorkflowDefinition, from directory: URL) -> WorkflowDefinition {
        var definition = definition
        for index in definition.nodes.indices {
            guard definition.nodes[index].kind.split(separator: "@").first == "workflow",
                case .string(let path)? = definition.nodes[index].config["path"], !path.hasPrefix("/"),
                case .object(var config) = definition.nodes[index].config
            else { continue }
            config["path"] = .string(directory.appendingPathComponent(path).standardizedFileURL.path)
            definition.nodes[index].config = .object(config)
        }
        return definition
    }
}
