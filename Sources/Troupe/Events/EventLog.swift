import Foundation

/// One instance's events: kept in full so that a late subscriber still sees them all, and fanned out live.
///
/// Subscribers get unbounded buffers: the workflow never waits for them and no event is dropped;
/// a subscriber that never reads holds at most this instance's events.
final class EventLog: Sendable {
    private struct State {
        var events: [WorkflowEvent] = []
        var subscribers: [AsyncStream<WorkflowEvent>.Continuation] = []
        var finished = false
    }

    private let instanceID: InstanceID
    private let workflowID: String
    private let hub: EventHub
    private let state = LockedValue(State())

    init(instanceID: InstanceID, workflowID: String, hub: EventHub) {
        self.instanceID = instanceID
        self.workflowID = workflowID
        self.hub = hub
    }

    func append(_ kind: WorkflowEvent.Kind) {
        let event = state.withLock { state -> WorkflowEvent in
            let event = WorkflowEvent(
                instanceID: instanceID, workflowID: workflowID, sequence: state.events.count, timestamp: Date(), kind: kind)
            state.events.append(event)
            for subscriber in state.subscribers { subscriber.yield(event) }
            if kind.isFinal {
                state.finished = true
                for subscriber in state.subscribers { subscriber.finish() }
                state.subscribers = []
            }
            return event
        }
        hub.publish(event)
    }

    /// Every event so far, then the live ones; the stream finishes after the instance's final event.
    func subscribe() -> AsyncStream<WorkflowEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: WorkflowEvent.self, bufferingPolicy: .unbounded)
        state.withLock { state in
            for event in state.events { continuation.yield(event) }
            if state.finished {
                continuation.finish()
            } else {
                state.subscribers.append(continuation)
            }
        }
        return stream
    }

    var events: [WorkflowEvent] { state.withLock { $0.events } }
}
