import Foundation
@_spi(Development) import Troupe

/// What `troupe run` has seen of its instance, folded from the events: the partial result it prints
/// when a second signal makes it exit before the instance has ended.
final class ObservedRun: Sendable {
    private struct State {
        var instanceID: InstanceID?
        var started: Date?
        var nodes: [String: NodeReport]
        /// When each node's first attempt started, for the durations of nodes still running.
        var nodeStarts: [String: Date] = [:]
    }

    private let workflowID: String
    private let state: LockedValue<State>

    /// Starts with every node of `definition` pending.
    init(_ definition: WorkflowDefinition) {
        workflowID = definition.id
        state = LockedValue(State(nodes: Dictionary(uniqueKeysWithValues: definition.nodes.map { ($0.id, NodeReport(status: .pending)) })))
    }

    /// Notes the instance's id, known as soon as it starts.
    func begin(_ instanceID: InstanceID) {
        state.withLock { $0.instanceID = instanceID }
    }

    /// Folds one event in.
    func record(_ event: WorkflowEvent) {
        state.withLock { state in
            state.started = state.started ?? event.timestamp
            switch event.kind {
            case .nodeStarted(let node, let attempt):
                state.nodeStarts[node] = state.nodeStarts[node] ?? event.timestamp
                state.nodes[node, default: NodeReport(status: .pending)].status = .running
                state.nodes[node, default: NodeReport(status: .pending)].attempts = attempt
            case .nodeRetrying(let node, _, _, let error):
                state.nodes[node]?.status = .retrying
                state.nodes[node]?.error = error
            case .nodeCompleted(let node, let duration):
                state.nodes[node] = NodeReport(status: .completed, attempts: state.nodes[node]?.attempts ?? 1, duration: duration)
            case .nodeFailed(let node, let error, let duration):
                state.nodes[node] = NodeReport(status: .failed, attempts: state.nodes[node]?.attempts ?? 1, duration: duration, error: error)
            case .nodeTimedOut(let node, let duration):
                state.nodes[node] = NodeReport(status: .timedOut, attempts: state.nodes[node]?.attempts ?? 1, duration: duration)
            case .nodeCancelled(let node):
                state.nodes[node]?.status = .cancelled
                if let start = state.nodeStarts[node] { state.nodes[node]?.duration = .seconds(event.timestamp.timeIntervalSince(start)) }
            case .nodeSkipped(let node, _):
                state.nodes[node]?.status = .skipped
            default:
                break
            }
        }
    }

    /// The nodes whose attempts have started and not ended, by id.
    var unfinishedNodes: [String] {
        state.withLock { state in state.nodes.filter { $0.value.status == .running || $0.value.status == .retrying }.keys.sorted() }
    }

    /// The result so far, as of `now`: the instance `cancelled`, nodes still running as `running`
    /// with their time so far, and an error naming them; `nil` before the instance started.
    func partialResult(now: Date = Date()) -> WorkflowResult? {
        state.withLock { state in
            guard let instanceID = state.instanceID else { return nil }
            var nodes = state.nodes
            var unfinished: [String] = []
            for (node, report) in nodes where report.status == .running || report.status == .retrying {
                unfinished.append(node)
                if let start = state.nodeStarts[node] { nodes[node]?.duration = .seconds(now.timeIntervalSince(start)) }
            }
            let error =
                unfinished.isEmpty
                ? "cancelled" : "exited without waiting for nodes that did not stop: \(unfinished.sorted().joined(separator: ", "))"
            return WorkflowResult(
                instanceID: instanceID, workflowID: workflowID, status: .cancelled, nodes: nodes,
                duration: .seconds(now.timeIntervalSince(state.started ?? now)), error: error)
        }
    }
}
