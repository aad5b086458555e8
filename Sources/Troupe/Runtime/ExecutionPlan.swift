/// A validated definition's graph in index form, computed once so that running an instance does no string lookups.
/// A class, so that the scheduler reads it with one retain rather than one per array.
final class ExecutionPlan: Sendable {
    /// An outgoing edge, with its condition's pointer already parsed. A class, so that the
    /// scheduler walking a node's edges copies a reference, not the condition.
    final class Successor: Sendable {
        let target: Int
        let condition: EdgeCondition?
        let pointer: JSONPointer?

        init(target: Int, condition: EdgeCondition?, pointer: JSONPointer?) {
            self.target = target
            self.condition = condition
            self.pointer = pointer
        }

        func holds(for output: JSONValue) -> Bool {
            guard let condition, let pointer else { return true }
            return condition.holds(selected: pointer.resolve(in: output))
        }
    }

    /// The workflow's id.
    let workflowID: String
    let nodeIDs: [String]
    /// Each node's index by its id.
    let indexByID: [String: Int]
    let predecessors: [[Int]]
    /// Each node's number of predecessors, copied as a whole into every new instance (32 bits are
    /// plenty, and a parked instance holds its copy).
    let predecessorCounts: [Int32]
    let successors: [[Successor]]
    /// Topological order (Kahn's algorithm, entry nodes first in declaration order).
    let order: [Int]
    /// Nodes grouped by their longest distance from an entry node.
    let levels: [[Int]]
    /// Every node's id with a pending report, and where each node's report sits in it: an instance's
    /// result copies this and fills the slots, hashing no id.
    let pendingReports: [String: NodeReport]
    let reportSlots: [Dictionary<String, NodeReport>.Index]
    /// Each node's upstream ids with null values, and where each predecessor's output goes (in
    /// ``predecessors`` order): a call copies its node's and fills the slots, hashing no id.
    let upstreamTemplates: [[String: JSONValue]]
    let upstreamSlots: [[Dictionary<String, JSONValue>.Index]]

    init(_ definition: WorkflowDefinition) {
        workflowID = definition.id
        nodeIDs = definition.nodes.map(\.id)
        let indexByID = Dictionary(uniqueKeysWithValues: nodeIDs.enumerated().map { ($1, $0) })
        self.indexByID = indexByID
        var predecessors = Array(repeating: [Int](), count: nodeIDs.count)
        var successors = Array(repeating: [Successor](), count: nodeIDs.count)
        for edge in definition.edges {
            let source = indexByID[edge.from]!
            let target = indexByID[edge.to]!
            predecessors[target].append(source)
            let pointer = edge.condition.flatMap { try? JSONPointer($0.pointer) }
            successors[source].append(Successor(target: target, condition: edge.condition, pointer: pointer))
        }
        let order = GraphSearch.topologicalOrder(successors.map { $0.map(\.target) })
        var level = Array(repeating: 0, count: nodeIDs.count)
        for node in order {
            for successor in successors[node] { level[successor.target] = max(level[successor.target], level[node] + 1) }
        }
        var levels = Array(repeating: [Int](), count: (level.max() ?? 0) + 1)
        for node in order { levels[level[node]].append(node) }
        self.predecessors = predecessors
        predecessorCounts = predecessors.map { Int32($0.count) }
        self.successors = successors
        self.order = order
        self.levels = levels
        let pendingReports = Dictionary(uniqueKeysWithValues: nodeIDs.map { ($0, NodeReport(status: .pending)) })
        self.pendingReports = pendingReports
        reportSlots = nodeIDs.map { pendingReports.index(forKey: $0)! }
        let nodeIDs = nodeIDs
        let upstreamTemplates = predecessors.map { sources in
            Dictionary(sources.map { (nodeIDs[$0], JSONValue.null) }, uniquingKeysWith: { first, _ in first })
        }
        self.upstreamTemplates = upstreamTemplates
        upstreamSlots = predecessors.indices.map { node in predecessors[node].map { upstreamTemplates[node].index(forKey: nodeIDs[$0])! } }
    }
}
