/// The kind of every node of every workflow a runtime prepared, by workflow id and node id: events
/// name only nodes, and metrics and traces are by kind.
///
/// Two definitions with the same id share an entry; a node id keeps the kind it was last prepared with.
final class NodeKinds: Sendable {
    private let kinds = LockedValue<[String: [String: String]]>([:])

    func add(_ definition: WorkflowDefinition) {
        kinds.withLock { kinds in
            for node in definition.nodes { kinds[definition.id, default: [:]][node.id] = node.kind }
        }
    }

    /// The kind of `node` in `workflow`, `"unknown"` for one never prepared here.
    func kind(workflow: String, node: String) -> String {
        kinds.withLock { $0[workflow]?[node] } ?? "unknown"
    }
}
