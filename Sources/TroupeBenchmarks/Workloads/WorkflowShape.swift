import Troupe

/// A workflow the benchmarks measure, as a Troupe definition and as the value its exit node must produce.
enum WorkflowShape: Sendable {
    /// `start` → `branch1` … `branchN` in parallel → `join`.
    case diamond(branches: Int)
    /// `node1` → `node2` → … → `nodeN`.
    case chain(length: Int)

    /// The name in the report, by node count: `diamond10`, `chain10`.
    var name: String {
        switch self {
        case .diamond(let branches): return "diamond\(branches + 2)"
        case .chain(let length): return "chain\(length)"
        }
    }

    /// How many nodes an instance runs.
    var nodeCount: Int {
        switch self {
        case .diamond(let branches): return branches + 2
        case .chain(let length): return length
        }
    }

    /// The node whose output is the instance's result.
    var exitNodeID: String {
        switch self {
        case .diamond: return "join"
        case .chain(let length): return "node\(length)"
        }
    }

    /// The definition, with `branchKind` for a diamond's branches and `kind` for every other node.
    func definition(kind: String, branchKind: String? = nil) -> WorkflowDefinition {
        switch self {
        case .diamond(let branches):
            return WorkflowDefinition(id: name) {
                NodeDefinition("start", kind: kind)
                for branch in 1...branches {
                    NodeDefinition("branch\(branch)", kind: branchKind ?? kind)
                    EdgeDefinition(from: "start", to: "branch\(branch)")
                    EdgeDefinition(from: "branch\(branch)", to: "join")
                }
                NodeDefinition("join", kind: kind)
            }
        case .chain(let length):
            return WorkflowDefinition(id: name) {
                for node in 1...length { NodeDefinition("node\(node)", kind: kind) }
                for node in 1..<length { EdgeDefinition(from: "node\(node)", to: "node\(node + 1)") }
            }
        }
    }

    /// What the exit node outputs for an instance started with `input` when every node runs ``AddNode``.
    func expectedOutput(forInput input: Int) -> Int {
        switch self {
        case .diamond(let branches): return branches * (input + 2) + 1
        case .chain(let length): return input + length
        }
    }
}
