import Synchronization

/// The runtime-wide subscription over all instances' events.
///
/// Like instance streams, its buffers are unbounded: publishing never waits and never drops,
/// so a subscriber that lags holds the events it has not read yet in memory.
final class EventHub: Sendable {
    private let subscribers = LockedValue<[Int: AsyncStream<WorkflowEvent>.Continuation]>([:])
    private let nextToken = Atomic<Int>(0)
    /// Checked without the lock, so that publishing costs one atomic load when nobody listens.
    private let subscriberCount = Atomic<Int>(0)

    func publish(_ event: WorkflowEvent) {
        guard subscriberCount.load(ordering: .relaxed) > 0 else { return }
        subscribers.withLock { subscribers in
            for subscriber in subscribers.values { subscriber.yield(event) }
        }
    }

    func subscribe() -> AsyncStream<WorkflowEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: WorkflowEvent.self, bufferingPolicy: .unbounded)
        let token = nextToken.wrappingAdd(1, ordering: .relaxed).oldValue
        subscribers.withLock { $0[token] = continuation }
        subscriberCount.wrappingAdd(1, ordering: .relaxed)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            self.subscribers.withLock { _ = $0.removeValue(forKey: token) }
            self.subscriberCount.wrappingSubtract(1, ordering: .relaxed)
        }
        return stream
    }
}
