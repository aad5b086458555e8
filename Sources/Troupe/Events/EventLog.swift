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

    init(instanceID: InstanceID, workflowID: String, hub: EventHub) {
        self.instanceID = instanceID
        self.workflowID = workflowID
        self.hub = hub
    }

    func append(_ kind: WorkflowEvent.Kind) {
        let event = broadcast.append(finishing: kind.isFinal) { sequence in
            WorkflowEvent(instanceID: instanceID, workflowID: workflowID, sequence: sequence, timestamp: Date(), kind: kind)
        }
        hub.publish(event)
    }

    /// Every event so far, then the live ones; the stream finishes after the instance's final event.
    func subscribe() -> AsyncStream<WorkflowEvent> { broadcast.subscribe() }
}
