import Foundation

/// One instance's events: kept in full so that a late subscriber still sees them all, and fanned out live.
///
/// Subscribers get unbounded buffers: the workflow never waits for them and no event is dropped;
/// a subscriber that never reads holds at most this instance's events.
final class EventLog: Sendable {
    private let instanceID: InstanceID
    private let workflowID: String
    private let hub: EventHub
    private let broadcast = Broadcast<WorkflowEvent>()
    /// Wall-clock time at one monotonic instant, so timestamps derive from the monotonic readings
    /// nodes take anyway for their durations instead of reading a second clock per event.
    private let originDate = Date()
    private let originInstant = ContinuousClock.now

    init(instanceID: InstanceID, workflowID: String, hub: EventHub) {
        self.instanceID = instanceID
        self.workflowID = workflowID
        self.hub = hub
    }

    /// Records an event that happened at `instant` (now, when not given); nothing after the final event.
    func append(_ kind: WorkflowEvent.Kind, at instant: ContinuousClock.Instant = .now) {
        let offset = (instant - originInstant).components
        let measured = originDate.addingTimeInterval(Double(offset.seconds) + Double(offset.attoseconds) / 1e18)
        broadcast.append(finishing: kind.isFinal) { sequence, previous in
            // Instants are read before the lock, so two nodes' events can arrive out of time order:
            // a timestamp never goes back. Publishing under the lock keeps the runtime-wide stream
            // in this instance's sequence order.
            let timestamp = previous.map { max($0.timestamp, measured) } ?? measured
            let event = WorkflowEvent(instanceID: instanceID, workflowID: workflowID, sequence: sequence, timestamp: timestamp, kind: kind)
            hub.publish(event)
            return event
        }
    }

    /// Every event so far, then the live ones; the stream finishes after the instance's final event.
    func subscribe() -> AsyncStream<WorkflowEvent> { broadcast.subscribe() }
}
