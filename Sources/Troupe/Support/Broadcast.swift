/// A history of elements that every subscriber receives in full, then live.
///
/// Subscribers get unbounded buffers: appending never waits and nothing is dropped.
final class Broadcast<Element: Sendable>: Sendable {
    private struct State {
        var history: [Element] = []
        var subscribers: [AsyncStream<Element>.Continuation] = []
    }

    private let state = LockedValue(State())

    /// Appends an element and hands it to every subscriber, under the lock, so that each sees the history's order.
    func append(_ element: Element) {
        state.withLock { state in
            state.history.append(element)
            for subscriber in state.subscribers { subscriber.yield(element) }
        }
    }

    /// Every element so far, then the live ones.
    func subscribe() -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self, bufferingPolicy: .unbounded)
        state.withLock { state in
            for element in state.history { continuation.yield(element) }
            state.subscribers.append(continuation)
        }
        return stream
    }
}
