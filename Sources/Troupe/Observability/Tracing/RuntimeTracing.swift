import Foundation

/// Turns a runtime's events into spans on a ``TracingSink``: one per instance, one per node
/// attempt below it, with pauses, skips, cancels, retries and interceptor notes as span events.
final class RuntimeTracing: WorkflowEventObserver {
    private struct Instance {
        let span: any TraceSpan
        let context: TraceContext
        var attempts: [String: any TraceSpan] = [:]
    }

    private let sink: any TracingSink
    private let kinds: NodeKinds
    private let contexts: TraceContexts
    private let instances = LockedValue<[InstanceID: Instance]>([:])

    init(sink: any TracingSink, kinds: NodeKinds, contexts: TraceContexts) {
        self.sink = sink
        self.kinds = kinds
        self.contexts = contexts
    }

    func observe(_ event: WorkflowEvent) {
        let time = event.timestamp
        instances.withLock { instances in
            if case .instanceStarted = event.kind {
                let (context, parent) = contexts.context(of: event.instanceID)
                let span = sink.startSpan(
                    "workflow \(event.workflowID)", context: context, parent: parent,
                    attributes: ["troupe.instance": event.instanceID.description, "troupe.workflow": event.workflowID], at: time)
                instances[event.instanceID] = Instance(span: span, context: context)
                return
            }
            guard var instance = instances[event.instanceID] else { return }
            var ended = false
            defer { instances[event.instanceID] = ended ? nil : instance }
            func endAttempt(_ node: String, status: String, error: String?) {
                guard let span = instance.attempts.removeValue(forKey: node) else { return }
                span.setAttribute("troupe.status", status)
                if let error { span.recordError(error) }
                span.end(at: time)
            }
            func instant(_ name: String, node: String, _ attributes: [String: String] = [:]) {
                let span = instance.attempts[node] ?? instance.span
                span.addEvent(name, attributes: attributes.merging(["troupe.node": node]) { $1 }, at: time)
            }
            switch event.kind {
            case .instanceStarted:
                break
            case .nodeStarted(let node, let attempt):
                let kind = kinds.kind(workflow: event.workflowID, node: node)
                instance.attempts[node] = sink.startSpan(
                    node, context: instance.context.nodeAttempt(node, attempt), parent: instance.context,
                    attributes: [
                        "troupe.instance": event.instanceID.description, "troupe.workflow": event.workflowID, "troupe.node": node,
                        "troupe.kind": kind, "troupe.attempt": String(attempt),
                    ], at: time)
            case .nodeRetrying(let node, let attempt, let delay, let error):
                instant("retry", node: node, ["attempt": String(attempt), "delay": "\(delay.seconds) s", "error": error])
                endAttempt(node, status: "failed", error: error)
            case .nodeCompleted(let node, _):
                endAttempt(node, status: "completed", error: nil)
            case .nodeFailed(let node, let error, _):
                endAttempt(node, status: "failed", error: error)
            case .nodeTimedOut(let node, _):
                endAttempt(node, status: "timedOut", error: "timed out")
            case .nodeCancelled(let node):
                instant("cancelled", node: node)
                endAttempt(node, status: "cancelled", error: nil)
            case .nodeSkipped(let node, let reason):
                instant("skipped", node: node, ["reason": reason])
            case .nodeWaiting(let node, let signal):
                instant("waiting", node: node, ["signal": signal])
            case .nodeSignalled(let node, let signal):
                instant("signalled", node: node, ["signal": signal])
            case .interceptorNote(let node, let note):
                instant("\(note.interceptor) \(note.event)", node: node, ["message": note.message])
            case .paused:
                instance.span.addEvent("paused", attributes: [:], at: time)
            case .resumed:
                instance.span.addEvent("resumed", attributes: [:], at: time)
            case .completed, .failed, .cancelled, .timedOut:
                for node in instance.attempts.keys.sorted() { endAttempt(node, status: "cancelled", error: nil) }
                if case .cancelled = event.kind { instance.span.addEvent("cancelled", attributes: [:], at: time) }
                if case .failed(let error, _) = event.kind { instance.span.recordError(error) }
                instance.span.setAttribute("troupe.status", Self.status(of: event.kind))
                instance.span.end(at: time)
                ended = true
            }
        }
    }

    private static func status(of final: WorkflowEvent.Kind) -> String {
        switch final {
        case .completed: return "completed"
        case .failed: return "failed"
        case .cancelled: return "cancelled"
        default: return "timedOut"
        }
    }
}
