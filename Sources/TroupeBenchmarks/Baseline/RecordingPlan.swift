import Troupe

/// What ``RecordingInstanceActor`` prepares once per workflow, as Troupe prepares a plan: the nodes
/// in levels (each level's nodes need every node of the level before), each node's body, and the
/// dictionaries copied per instance with the places their values go: the result with every node
/// pending, and each node's upstream with its predecessors' keys.
struct RecordingPlan: Sendable {
    /// The workflow's id.
    let workflowID: String
    /// Every node's id, by index.
    let nodeIDs: [String]
    /// The node indices of each level, in order.
    let levels: [[Int]]
    /// Each node's predecessors: the nodes of the level before its own.
    let predecessors: [[Int]]
    /// Each node's body.
    let bodies: [RecordingNodeActor.Body]
    /// The kind every call names.
    let kind: String
    /// The result's node reports, all pending.
    let reports: [String: NodeReport]
    /// Where each node's report goes in ``reports``.
    let reportSlots: [Dictionary<String, NodeReport>.Index]
    /// Each node's upstream dictionary, every predecessor's output `null`.
    let upstream: [[String: JSONValue]]
    /// Where each predecessor's output goes in the node's ``upstream``, in the order of ``predecessors``.
    let upstreamSlots: [[Dictionary<String, JSONValue>.Index]]

    /// The plan of `shape`: `body` for every node, or `branchBody` for a diamond's branches when given.
    init(_ shape: WorkflowShape, kind: String, body: RecordingNodeActor.Body, branchBody: RecordingNodeActor.Body? = nil) {
        workflowID = shape.name
        self.kind = kind
        let levels: [[String]]
        // The level whose nodes get `branchBody`: a diamond's branches.
        let branchLevel: Int?
        switch shape {
        case .chain(let length): (levels, branchLevel) = ((1...length).map { ["node\($0)"] }, nil)
        case .diamond(let branches): (levels, branchLevel) = ([["start"], (1...branches).map { "branch\($0)" }, ["join"]], 1)
        }
        nodeIDs = levels.flatMap { $0 }
        var first = 0
        var indices: [[Int]] = []
        for level in levels {
            indices.append(Array(first..<first + level.count))
            first += level.count
        }
        self.levels = indices
        predecessors = indices.indices.flatMap { level in Array(repeating: level == 0 ? [] : indices[level - 1], count: indices[level].count) }
        bodies = indices.indices.flatMap { level in
            Array(repeating: level == branchLevel ? branchBody ?? body : body, count: indices[level].count)
        }
        let reports = Dictionary(uniqueKeysWithValues: nodeIDs.map { ($0, NodeReport(status: .pending)) })
        self.reports = reports
        reportSlots = nodeIDs.map { reports.index(forKey: $0)! }
        let nodeIDs = nodeIDs
        let upstream = predecessors.map { Dictionary(uniqueKeysWithValues: $0.map { (nodeIDs[$0], JSONValue.null) }) }
        self.upstream = upstream
        upstreamSlots = zip(upstream, predecessors).map { upstream, predecessors in predecessors.map { upstream.index(forKey: nodeIDs[$0])! } }
    }
}
