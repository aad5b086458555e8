import Foundation

/// A resumed run's history as the store held it when this process resumed it: what its handle's
/// `events` replay before the live events, which number on from it.
///
/// It is read only when someone subscribes, so resuming costs no history read.
struct StoredHistory: Sendable {
    let store: any RunStore
    let runID: RunID
    let workflowID: String
    /// The last stored sequence number before this process resumed the run, -1 for none; its live events start after it.
    let lastSequence: Int

    /// The stored history up to ``lastSequence`` as events of `instance`, then `live`. When the store
    /// cannot be read (it was closed, say), the stream starts with the live events.
    func replay(then live: AsyncStream<WorkflowEvent>, instance: InstanceID) -> AsyncStream<WorkflowEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: WorkflowEvent.self, bufferingPolicy: .unbounded)
        let task = Task {
            let records = (try? await store.events(of: runID)) ?? []
            let stored = records.prefix { $0.sequence <= lastSequence }
            for event in Self.events(stored, instance: instance, workflowID: workflowID) { continuation.yield(event) }
            for await event in live { continuation.yield(event) }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Stored history entries as events, with their sequence numbers, dates and nodes. A node's
    /// duration is the time since its latest replayed start (zero without one); an entry no event
    /// kind expresses (a `runEnded` that a re-run from failed nodes went on after, or a kind this
    /// build does not know) becomes a note of the pseudo-interceptor `store` named after the entry's kind.
    static func events(_ records: some Sequence<RunEventRecord>, instance: InstanceID, workflowID: String) -> [WorkflowEvent] {
        var starts: [String: Date] = [:]
        var events: [WorkflowEvent] = []
        for record in records {
            let node = record.nodeID ?? ""
            func duration() -> Duration { starts[node].map { .seconds(max(0, record.date.timeIntervalSince($0))) } ?? .zero }
            let kind: WorkflowEvent.Kind
            switch record.kind {
            case "runStarted", "runResumed":
                // Each process that ran the run started an instance of it.
                kind = .instanceStarted
            case "nodeStarted" where record.nodeID != nil:
                starts[node] = record.date
                kind = .nodeStarted(node: node, attempt: record.details["attempt"]?.integerValue ?? 1)
            case "nodeCompleted" where record.nodeID != nil:
                kind = .nodeCompleted(node: node, duration: duration())
            case "nodeRetrying" where record.nodeID != nil:
                kind = .nodeRetrying(
                    node: node, attempt: record.details["attempt"]?.integerValue ?? 1,
                    delay: Duration(clampingSeconds: record.details["delay"]?.doubleValue ?? 0), error: record.details["error"]?.stringValue ?? "failed")
            case "nodeFailed" where record.nodeID != nil:
                kind = .nodeFailed(node: node, error: record.details["error"]?.stringValue ?? "failed", duration: duration())
            case "nodeTimedOut" where record.nodeID != nil:
                kind = .nodeTimedOut(node: node, duration: duration())
            case "nodeWaiting" where record.nodeID != nil:
                kind = .nodeWaiting(node: node, signal: record.details["signal"]?.stringValue ?? node)
            case "nodeSignalled" where record.nodeID != nil:
                kind = .nodeSignalled(node: node, signal: record.details["signal"]?.stringValue ?? node)
            case "nodeSkipped" where record.nodeID != nil:
                kind = .nodeSkipped(node: node, reason: record.details["reason"]?.stringValue ?? "skipped")
            case "nodeCancelled" where record.nodeID != nil:
                kind = .nodeCancelled(node: node)
            case "interceptorNote" where record.nodeID != nil:
                kind = .interceptorNote(
                    node: node,
                    note: InterceptorNote(
                        interceptor: record.details["interceptor"]?.stringValue ?? "store", event: record.details["event"]?.stringValue ?? "",
                        message: record.details["message"]?.stringValue ?? "", details: record.details["details"]?.objectValue ?? [:]))
            case "paused":
                kind = .paused
            case "resumed":
                kind = .resumed
            default:
                var details = record.details.objectValue ?? [:]
                if details.isEmpty && record.details != .null { details["details"] = record.details }
                let message = details["status"]?.stringValue.map { "the run ended \($0)" } ?? record.kind
                kind = .interceptorNote(node: node, note: InterceptorNote(interceptor: "store", event: record.kind, message: message, details: details))
            }
            events.append(WorkflowEvent(instanceID: instance, workflowID: workflowID, sequence: record.sequence, timestamp: record.date, kind: kind))
        }
        return events
    }
}
