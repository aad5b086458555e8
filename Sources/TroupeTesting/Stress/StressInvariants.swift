import Troupe

/// The invariants every instance must keep, checked from its result and its whole event stream.
///
/// Exactly one terminal status, matched by the final event; the stream gapless (sequence 0, 1,
/// 2, …), starting with `instanceStarted`, ending with exactly one final event, pauses and resumes
/// alternating; every node's transitions legal under `NodeStatus.canTransition`, ending where the
/// result says; every completed node's output present; the counts adding up (one report per node,
/// attempts equal to the node's starts, a retry before every start after the first).
public enum StressInvariants {
    /// What `result` and `events` break, one message each; empty when the instance kept every invariant.
    public static func violations(of result: WorkflowResult, events: [WorkflowEvent], definition: WorkflowDefinition) -> [String] {
        var problems: [String] = []
        checkStream(events, result: result, into: &problems)
        checkNodes(events, result: result, definition: definition, into: &problems)
        return problems
    }

    private static func checkStream(_ events: [WorkflowEvent], result: WorkflowResult, into problems: inout [String]) {
        if !result.status.isTerminal { problems.append("the result's status \(result.status) is not terminal") }
        for (position, event) in events.enumerated() where event.sequence != position {
            problems.append("event \(position) has sequence \(event.sequence): the stream has a gap or is out of order")
            break
        }
        for event in events where event.instanceID != result.instanceID {
            problems.append("event \(event.sequence) belongs to \(event.instanceID), not \(result.instanceID)")
            break
        }
        let finals = events.filter(\.kind.isFinal)
        if finals.count != 1 { problems.append("\(finals.count) final events, expected exactly 1") }
        if let last = events.last, !last.kind.isFinal { problems.append("the stream ends with \(last.kind), not a final event") }
        if events.isEmpty { problems.append("no events") }
        if let final = finals.last, status(of: final.kind) != result.status {
            problems.append("the final event \(final.kind) does not match the result's status \(result.status)")
        }
        let starts = events.filter { $0.kind == .instanceStarted }.count
        if starts > 1 { problems.append("\(starts) instanceStarted events") }
        if starts == 1, events.first?.kind != .instanceStarted { problems.append("instanceStarted is not the first event") }
        if starts == 0, result.status != .cancelled { problems.append("no instanceStarted event, yet the instance ended \(result.status)") }
        var paused = false
        for event in events {
            switch event.kind {
            case .paused:
                if paused { problems.append("event \(event.sequence): paused twice without a resume") }
                paused = true
            case .resumed:
                if !paused { problems.append("event \(event.sequence): resumed without a pause") }
                paused = false
            default:
                break
            }
        }
    }

    private static func checkNodes(
        _ events: [WorkflowEvent], result: WorkflowResult, definition: WorkflowDefinition, into problems: inout [String]
    ) {
        let ids = Set(definition.nodes.map(\.id))
        var statuses: [String: NodeStatus] = [:]
        var starts: [String: Int] = [:]
        var retries: [String: Int] = [:]
        for event in events {
            guard let (node, next) = nodeTransition(event.kind) else { continue }
            guard ids.contains(node) else {
                problems.append("event \(event.sequence) names node \(node), which the workflow does not have")
                continue
            }
            let current = statuses[node, default: .pending]
            if !current.canTransition(to: next) {
                problems.append("node \(node): illegal transition \(current) → \(next) at event \(event.sequence)")
            }
            statuses[node] = next
            if next == .running { starts[node, default: 0] += 1 }
            if next == .retrying { retries[node, default: 0] += 1 }
        }
        if result.nodes.count != ids.count {
            problems.append("\(result.nodes.count) node reports for \(ids.count) nodes")
        }
        for id in definition.nodes.map(\.id) {
            guard let report = result.nodes[id] else {
                problems.append("node \(id) has no report")
                continue
            }
            let seen = statuses[id, default: .pending]
            if !report.status.isTerminal { problems.append("node \(id) ended \(report.status), which is not terminal") }
            if seen != report.status { problems.append("node \(id): the events end \(seen), the result says \(report.status)") }
            if report.status == .completed, report.output == nil { problems.append("node \(id) completed without an output") }
            let started = starts[id, default: 0]
            if report.attempts != started { problems.append("node \(id): \(report.attempts) attempts, \(started) nodeStarted events") }
            let retried = retries[id, default: 0]
            if started > 0, retried != started - 1, retried != started {
                problems.append("node \(id): \(retried) retries for \(started) starts")
            }
        }
        if result.status == .completed, let unfinished = result.nodes.first(where: { $0.value.status != .completed && $0.value.status != .skipped }) {
            problems.append("the instance completed, yet node \(unfinished.key) ended \(unfinished.value.status)")
        }
    }

    private static func nodeTransition(_ kind: WorkflowEvent.Kind) -> (String, NodeStatus)? {
        switch kind {
        case .nodeStarted(let node, _): return (node, .running)
        case .nodeRetrying(let node, _, _, _): return (node, .retrying)
        case .nodeCompleted(let node, _): return (node, .completed)
        case .nodeFailed(let node, _, _): return (node, .failed)
        case .nodeTimedOut(let node, _): return (node, .timedOut)
        case .nodeCancelled(let node): return (node, .cancelled)
        case .nodeSkipped(let node, _): return (node, .skipped)
        default: return nil
        }
    }

    // Not inlined: Swift 6.3.1's release pipeline crashes ("Found ownership error") when this
    // switch is inlined into `checkStream` on a borrowed event's kind.
    @inline(never)
    private static func status(of final: WorkflowEvent.Kind) -> InstanceStatus? {
        switch final {
        case .completed: return .completed
        case .failed: return .failed
        case .cancelled: return .cancelled
        case .timedOut: return .timedOut
        default: return nil
        }
    }
}
