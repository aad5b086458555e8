/// What the `cache` interceptor keys a result by: the whole call, or one value in it.
public enum CacheKey: Sendable, Hashable {
    /// The workflow id, node id, kind, node config, instance input and upstream outputs.
    case call
    /// The workflow id, node id and the value a JSON Pointer finds in the call (see ``CallKey``).
    case pointer(JSONPointer)

    /// Reads a key from its config form: `"call"` or `{"pointer": POINTER}`.
    init(json: JSONValue) throws(ExecutionError) {
        if json == "call" {
            self = .call
            return
        }
        guard case .object(let members) = json, members["pointer"] != nil, case .pointer(let pointer) = try CallKey(json: json) else {
            throw ExecutionError(type: "InvalidConfig", message: "expected \"call\" or {\"pointer\": POINTER}, found \(json)")
        }
        self = .pointer(pointer)
    }

    /// The hex SHA-256 of the canonical JSON (keys sorted, no spaces) of what `call` is keyed by.
    func digest(of call: NodeCall) -> String {
        var parts: [String: JSONValue] = ["workflowId": .string(call.workflowID), "nodeId": .string(call.nodeID)]
        switch self {
        case .call:
            parts["kind"] = .string(call.kind)
            parts["config"] = call.config
            parts["input"] = call.input
            parts["upstream"] = .object(call.upstream)
        case .pointer(let pointer):
            // A pointer that finds nothing keys by `null`, so such calls share one entry per node.
            parts["value"] = CallKey.pointer(pointer).resolved(in: call) ?? .null
        }
        return SHA256.hash(Array(JSONWriter.write(.object(parts), pretty: false).utf8))
    }
}
