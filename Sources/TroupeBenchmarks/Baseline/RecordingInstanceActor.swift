import Troupe

/// Troupe's design written by hand with the records Troupe keeps and hands to the user, and
/// nothing else: one actor per instance calling one actor per node, all created per instance; a
/// level of several nodes run at once in a task group, a lone node awaited in the instance's task;
/// each node called with a ``NodeCall`` carrying its predecessors' outputs, each node's report kept
/// and the result built as a ``WorkflowResult`` (both dictionaries copied from the plan, as Troupe
/// builds them), the instance's and nodes' events in a compact log. It measures what that work
/// costs in this design: the floor of the rows that compare Troupe with the bare design.
actor RecordingInstanceActor {
    private let id: InstanceID
    private let plan: RecordingPlan
    private let log: RecordingEventLog
    private let start: ContinuousClock.Instant
    private let nodes: [RecordingNodeActor]
    private var reports: [NodeReport]

    init(id: InstanceID, plan: RecordingPlan) {
        self.id = id
        self.plan = plan
        start = ContinuousClock.now
        let log = RecordingEventLog(origin: start, capacity: 2 * plan.nodeIDs.count + 2)
        self.log = log
        nodes = plan.bodies.enumerated().map { RecordingNodeActor(index: $0.offset, body: $0.element, log: log) }
        reports = Array(repeating: NodeReport(status: .pending), count: plan.nodeIDs.count)
    }

    /// Runs the workflow on `input`, level by level.
    func run(input: JSONValue) async -> WorkflowResult {
        log.append(.instanceStarted, at: start)
        for level in plan.levels {
            if level.count == 1 {
                reports[level[0]] = await nodes[level[0]].run(call(level[0], input: input))
                continue
            }
            let calls = level.map { (node: nodes[$0], call: call($0, input: input), index: $0) }
            await withTaskGroup(of: (Int, NodeReport).self) { group in
                for (node, call, index) in calls { group.addTask { (index, await node.run(call)) } }
                for await (index, report) in group { reports[index] = report }
            }
        }
        let duration = ContinuousClock.now - start
        log.append(.completed, number: duration.wrappingNanoseconds, at: start + duration)
        var results = plan.reports
        for index in reports.indices { results.values[plan.reportSlots[index]] = reports[index] }
        return WorkflowResult(instanceID: id, workflowID: plan.workflowID, status: .completed, nodes: results, duration: duration)
    }

    /// Node `index`'s call: the plan's upstream dictionary with each predecessor's output in its place.
    private func call(_ index: Int, input: JSONValue) -> NodeCall {
        var upstream = plan.upstream[index]
        for (position, predecessor) in plan.predecessors[index].enumerated() {
            upstream.values[plan.upstreamSlots[index][position]] = reports[predecessor].output ?? .null
        }
        return NodeCall(instanceID: id, workflowID: plan.workflowID, nodeID: plan.nodeIDs[index], kind: plan.kind, input: input, upstream: upstream)
    }
}
