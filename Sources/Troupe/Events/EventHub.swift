import Synchronization

/// The runtime-wide subscription over all instances' events.
///
/// Like instance streams, its buffers are unbounded: publishing never waits and never drops,
/// so a subscriber that lags holds the events it has not read yet in memory. Each instance
/// publishes under its own log's lock, so one instance's events arrive in sequence order.
final class EventHub: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<WorkflowEvent>.Continuation] = [:]
        var nextToken = 0
        var finished = false
    }

    private let state = LockedValue(State())
    /// Checked without the lock, so that publishing costs one atomic load when nobody listens.
    private let subscriberCount = Atomic<Int>(0)
    // Metrics and trace recorders see each event synchronously.
    let observability = RuntimeObservability()

    /// Whether anyone subscribes or observes now, so that an event nobody would receive need not be built.
    var isListenedTo: Bool { subscriberCount.load(ordering: .relaxed) > 0 || observability.observers.isObserved }

    func publish(_ event: WorkflowEvent) {
        observability.observers.publish(event)
        guard subscriberCount.load(ordering: .relaxed) > 0 else { return }
        state.withLock { state in
            for subscriber in state.subscribers.values { subscriber.yield(event) }
        }
    }

    func subscribe() -> AsyncStream<WorkflowEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: WorkflowEvent.self, bufferingPolicy: .unbounded)
        let token = state.withLock { state -> Int? in
            guard !state.finished else { return nil }
            state.nextToken += 1
            state.subscribers[state.nextToken] = continuation
            return state.nextToken
        }
        guard let token else {
            continuation.finish()
            return stream
        }
        subscriberCount.wrappingAdd(1, ordering: .relaxed)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            let removed = self.state.withLock { $0.subscribers.removeValue(forKey: token) }
            if removed != nil { self.subscriberCount.wrappingSubtract(1, ordering: .relaxed) }
        }
        return stream
    }

    /// Finishes every subscription, and those made later at once: the runtime has shut down.
    func finish() {
        let subscribers = state.withLock { state -> [AsyncStream<WorkflowEvent>.Continuation] in
            state.finished = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        subscriberCount.store(0, ordering: .relaxed)
        for subscriber in subscribers { subscriber.finish() }
    }
}
