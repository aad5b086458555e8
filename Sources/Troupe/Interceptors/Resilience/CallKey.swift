/// Which calls share a limiter, a breaker or a cache entry's scope: the key a call is counted under.
///
/// In a config: `"global"`, `"kind"`, `"node"`, `{"metadata": "tenant"}` or
/// `{"pointer": "/input/customer"}`. A pointer starts with one of the call's parts (`workflowId`,
/// `nodeId`, `kind`, `config`, `input`, `upstream`, `metadata`); calls where the field or pointer
/// finds nothing share one key.
public enum CallKey: Sendable, Hashable {
    /// Every call counts under one key.
    case global
    /// Calls are counted by their node kind.
    case kind
    /// Calls are counted by their node id.
    case node
    /// Calls are counted by the value of one metadata field.
    case metadata(String)
    /// Calls are counted by the value a JSON Pointer finds in the call.
    case pointer(JSONPointer)

    /// The parts of a call a pointer may start with.
    static let pointerRoots = ["config", "input", "kind", "metadata", "nodeId", "upstream", "workflowId"]

    /// Reads a key from its config form.
    init(json: JSONValue) throws(ExecutionError) {
        let forms = "expected \"global\", \"kind\", \"node\", {\"metadata\": FIELD} or {\"pointer\": POINTER}"
        switch json {
        case .string("global"): self = .global
        case .string("kind"): self = .kind
        case .string("node"): self = .node
        case .object(let members) where members.count == 1:
            if let field = members["metadata"] {
                guard let name = field.stringValue, !name.isEmpty else { throw Self.invalid("metadata: expected a non-empty field name") }
                self = .metadata(name)
            } else if let text = members["pointer"]?.stringValue {
                let pointer: JSONPointer
                do { pointer = try JSONPointer(text) } catch { throw Self.invalid("pointer: \(error)") }
                guard let root = pointer.tokens.first, Self.pointerRoots.contains(root) else {
                    throw Self.invalid("pointer: must start with one of \(Self.pointerRoots.map { "/" + $0 }.joined(separator: ", "))")
                }
                self = .pointer(pointer)
            } else {
                throw Self.invalid(forms)
            }
        default:
            throw Self.invalid("\(forms), found \(json)")
        }
    }

    private static func invalid(_ message: String) -> ExecutionError { ExecutionError(type: "InvalidConfig", message: message) }

    /// The key `call` is counted under.
    func value(for call: NodeCall) -> String {
        switch self {
        case .global: return ""
        case .kind: return call.kind
        case .node: return call.nodeID
        case .metadata(let field): return call.metadata[field] ?? ""
        case .pointer:
            guard let found = resolved(in: call) else { return "" }
            return JSONWriter.write(found, pretty: false)
        }
    }

    /// For a pointer, the value it finds in `call`; turns only the part it starts in into JSON.
    func resolved(in call: NodeCall) -> JSONValue? {
        guard case .pointer(let pointer) = self, let root = pointer.tokens.first else { return nil }
        let part: JSONValue
        switch root {
        case "workflowId": part = .string(call.workflowID)
        case "nodeId": part = .string(call.nodeID)
        case "kind": part = .string(call.kind)
        case "config": part = call.config
        case "input": part = call.input
        case "upstream": part = .object(call.upstream)
        default: part = .object(call.metadata.mapValues { .string($0) })
        }
        return pointer.resolve(in: .object([root: part]))
    }

    /// How the key reads in an error message.
    var description: String {
        switch self {
        case .global: return "global"
        case .kind: return "kind"
        case .node: return "node"
        case .metadata(let field): return "metadata \(field)"
        case .pointer(let pointer): return "pointer \(pointer)"
        }
    }
}
