import Troupe

/// Troupe's design written by hand with the records Troupe keeps and hands to the user, and
/// nothing else: one actor per instance calling one actor per node, all created per instance,
/// each node called with a ``NodeCall`` carrying its predecessor's output, each node's report kept
/// and the result built as a ``WorkflowResult`` (both dictionaries copied from templates, as
/// Troupe builds them), the instance's and nodes' events in a compact log. It measures what that
/// work costs in this design: the floor of Troupe's chain rows.
actor RecordingInstanceActor {
    private let id: InstanceID
    private let workflowID: String
    private let nodeIDs: [String]
    private let templates: Templates
    private let kind: String
    private let log: RecordingEventLog
    private let start: ContinuousClock.Instant
    private let nodes: [RecordingNodeActor]
    private var reports: [NodeReport]

    /// What Troupe prepares once per workflow and copies per instance: the result's dictionary with
    /// every node pending and where each node's report goes in it, and each node's upstream
    /// dictionary with its predecessor's key and where the output goes.
    struct Templates: Sendable {
        let reports: [String: NodeReport]
        let reportSlots: [Dictionary<String, NodeReport>.Index]
        let upstream: [[String: JSONValue]]
        let upstreamSlots: [Dictionary<String, JSONValue>.Index?]

        /// The templates for a chain of the nodes `nodeIDs`.
        init(chain nodeIDs: [String]) {
            let reports = Dictionary(uniqueKeysWithValues: nodeIDs.map { ($0, NodeReport(status: .pending)) })
            self.reports = reports
            reportSlots = nodeIDs.map { reports.index(forKey: $0)! }
            let upstream = nodeIDs.indices.map { $0 == 0 ? [:] : [nodeIDs[$0 - 1]: JSONValue.null] }
            self.upstream = upstream
            upstreamSlots = upstream.map(\.indices.first)
        }
    }

    init(id: InstanceID, workflowID: String, nodeIDs: [String], templates: Templates, kind: String, body: RecordingNodeActor.Body) {
        self.id = id
        self.workflowID = workflowID
        self.nodeIDs = nodeIDs
        self.templates = templates
        self.kind = kind
        start = ContinuousClock.now
        let log = RecordingEventLog(origin: start, capacity: 2 * nodeIDs.count + 2)
        self.log = log
        nodes = nodeIDs.indices.map { RecordingNodeActor(index: $0, body: body, log: log) }
        reports = Array(repeating: NodeReport(status: .pending), count: nodeIDs.count)
    }

    /// Runs the chain on `input`, each node called with the previous one's output as its upstream.
    func run(input: JSONValue) async -> WorkflowResult {
        log.append(.instanceStarted, at: start)
        for index in nodes.indices {
            var upstream = templates.upstream[index]
            if let slot = templates.upstreamSlots[index] { upstream.values[slot] = reports[index - 1].output ?? .null }
            let call = NodeCall(instanceID: id, workflowID: workflowID, nodeID: nodeIDs[index], kind: kind, input: input, upstream: upstream)
            reports[index] = await nodes[index].run(call)
        }
        let duration = ContinuousClock.now - start
        log.append(.completed, number: duration.wrappingNanoseconds, at: start + duration)
        // As Troupe builds it: a copy of the workflow's dictionary of pending reports, each slot overwritten.
        var results = templates.reports
        for index in reports.indices { results.values[templates.reportSlots[index]] = reports[index] }
        return WorkflowResult(instanceID: id, workflowID: workflowID, status: .completed, nodes: results, duration: duration)
    }
}
