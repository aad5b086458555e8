/// A validated definition's graph in index form, computed once so that running an instance does no string lookups.
struct ExecutionPlan: Sendable {
    /// An outgoing edge, with its condition's pointer already parsed.
    struct Successor: Sendable {
        let target: Int
        let condition: EdgeCondition?
        let pointer: JSONPointer?

        func holds(for output: JSONValue) -> Bool {
            guard let condition, let pointer else { return true }
            return condition.holds(selected: pointer.resolve(in: output))
        }
    }

    let nodeIDs: [String]
    let predecessors: [[Int]]
    /// Each node's number of predecessors, copied as a whole into every new instance.
    let predecessorCounts: [Int]
    let successors: [[Successor]]
    /// Topological order (Kahn's algorithm, entry nodes first in declaration order).
    let order: [Int]
    /// Nodes grouped by their longest distance from an entry node.
    let levels: [[Int]]

    init(_ definition: WorkflowDefinition) {
        nodeIDs = definition.nodes.map(\.id)
        let indexByID = Dictionary(uniqueKeysWithValues: nodeIDs.enumerated().map { ($1, $0) })
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
        predecessorCounts = predecessors.map { $0.count }
        self.successors = successors
        self.order = order
        self.levels = levels
    }
}
