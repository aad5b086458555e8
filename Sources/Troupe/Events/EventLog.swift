import Foundation
import Synchronization

/// One instance's events: kept in full so that a late subscriber still sees them all, and fanned out live.
///
/// Events are recorded compactly (``EventRecord``: their kind's parts and monotonic offset), and become `WorkflowEvent`
/// values (ids, sequence, wall-clock timestamp) only when someone reads them: live subscribers and
/// the runtime-wide stream as each one is appended, a late subscriber from the record. Subscribers
/// get unbounded buffers: the workflow never waits for them and no event is dropped; a subscriber
/// that never reads holds at most this instance's events.
final class EventLog: Sendable {
    private struct State {
        var records: [EventRecord] = []
        /// The kinds the records cannot hold, in their order (see ``EventRecord``).
        var uncommon: [WorkflowEvent.Kind] = []
        var subscribers: [AsyncStream<WorkflowEvent>.Continuation] = []
        /// The offset of the last event, kept or not.
        var lastOffset = Int64.min
        /// Wall-clock time at one monotonic instant, read when the first event is recorded, so timestamps
        /// derive from the monotonic readings nodes take anyway for their durations instead of reading
        /// a second clock per event, and an instance whose events nobody reads never reads a clock for them.
        var origin: (date: Date, instant: ContinuousClock.Instant)?
        // Last, beside the origin's tag: between wider fields it would take eight bytes.
        var finished = false
    }

    private let instanceID: InstanceID
    /// The workflow's graph, whose node indices the records keep instead of node ids, and its id.
    private let plan: ExecutionPlan
    private let hub: EventHub
    private let state = LockedValue(State())
    /// Events appended so far, kept or not: the next one's sequence number. Apart from the lock so
    /// that an event nobody can read costs one atomic add.
    private let count = Atomic<Int>(0)
    /// Whether events are kept for subscribers that come later. An instance nobody holds a handle to
    /// (`WorkflowRuntime.run`, a child workflow) can have no subscriber, so its events only go to
    /// the runtime-wide stream, and only while someone listens there.
    private let keepsHistory: Bool
    /// The first event's sequence number: 0 for a new instance; a resumed run's live events number
    /// on from its stored history (`WorkflowHandle.events`).
    private let firstSequence: Int

    init(
        instanceID: InstanceID, plan: ExecutionPlan, hub: EventHub, keepsHistory: Bool = true, firstSequence: Int = 0
    ) {
        self.instanceID = instanceID
        self.plan = plan
        self.hub = hub
        self.keepsHistory = keepsHistory
        self.firstSequence = firstSequence
    }

    /// Records an event that happened at `instant` (now, when not given); nothing after the final event.
    func append(_ kind: WorkflowEvent.Kind, at instant: ContinuousClock.Instant? = nil) {
        // Nobody can read it now or later: only its sequence number is taken, and the final event still ends the log.
        if !keepsHistory && !hub.isListenedTo && !kind.isFinal {
            count.wrappingAdd(1, ordering: .relaxed)
            return
        }
        record(kind, at: instant ?? .now)
    }

    /// Records a node's event, which is never final, building it only when someone can read it:
    /// the runtime's path for events that an instance nobody watches merely numbers. A caller that
    /// knows the node's index in the plan (its node actor) passes it, and the record takes it
    /// instead of looking the node's id up.
    func appendNodeEvent(_ kind: @autoclosure () -> WorkflowEvent.Kind, of index: Int? = nil, at instant: ContinuousClock.Instant? = nil) {
        if !keepsHistory && !hub.isListenedTo {
            count.wrappingAdd(1, ordering: .relaxed)
            return
        }
        record(kind(), of: index, at: instant ?? .now)
    }

    private func record(_ kind: WorkflowEvent.Kind, of nodeIndex: Int? = nil, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            guard !state.finished else { return }
            let origin = state.origin ?? (Date(), .now)
            state.origin = origin
            // Instants are read before the lock, so two nodes' events can arrive out of time order.
            let offset = max(state.lastOffset, (instant - origin.instant).truncatedNanoseconds)
            if keepsHistory {
                state.records.append(EventRecord(kind, offset: offset, nodeIndex: nodeIndex, nodeIndices: plan.indexByID, uncommon: &state.uncommon))
            }
            state.lastOffset = offset
            // Numbered under the lock, so that the events published here go out in sequence order.
            let sequence = count.wrappingAdd(1, ordering: .relaxed).oldValue
            // Publishing under the lock keeps the runtime-wide stream in this instance's sequence order.
            if !state.subscribers.isEmpty || hub.isListenedTo {
                let event = self.event(kind, offset: offset, sequence: sequence, origin: origin.date)
                for subscriber in state.subscribers { subscriber.yield(event) }
                hub.publish(event)
            }
            if kind.isFinal {
                state.finished = true
                for subscriber in state.subscribers { subscriber.finish() }
                state.subscribers = []
            }
        }
    }

    /// Gives back the records' spare capacity: an instance about to wait long (parked at a `wait`
    /// node) should hold only the history it has, not the room its array grew for the events to come.
    func releaseSpareCapacity() {
        state.withLock { state in
            guard state.records.capacity > state.records.count else { return }
            var records: [EventRecord] = []
            records.reserveCapacity(state.records.count)
            records.append(contentsOf: state.records)
            state.records = records
        }
    }

    /// Every event so far, then the live ones; the stream finishes after the instance's final event.
    func subscribe() -> AsyncStream<WorkflowEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: WorkflowEvent.self, bufferingPolicy: .unbounded)
        state.withLock { state in
            if let origin = state.origin {
                for (sequence, record) in state.records.enumerated() {
                    continuation.yield(
                        event(record.kind(nodeIDs: plan.nodeIDs, uncommon: state.uncommon), offset: record.offset, sequence: sequence, origin: origin.date))
                }
            }
            if state.finished {
                continuation.finish()
            } else {
                state.subscribers.append(continuation)
            }
        }
        return stream
    }

    private func event(_ kind: WorkflowEvent.Kind, offset: Int64, sequence: Int, origin: Date) -> WorkflowEvent {
        WorkflowEvent(
            instanceID: instanceID, workflowID: plan.workflowID, sequence: firstSequence + sequence,
            timestamp: origin.addingTimeInterval(Double(offset) / 1e9), kind: kind)
    }
}
