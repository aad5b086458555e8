/// A history of elements that every subscriber receives in full, then live, until it is finished.
///
/// Subscribers get unbounded buffers: appending never waits and nothing is dropped.
final class Broadcast<Element: Sendable>: Sendable {
    private struct State {
        var history: [Element] = []
        var subscribers: [AsyncStream<Element>.Continuation] = []
        var finished = false
    }

    private let state = LockedValue(State())

    /// Appends an element, built under the lock from its position and the element before it, so that
    /// numbering is in order and whatever `make` publishes elsewhere is published in that order too.
    /// Once finished, nothing more is appended and `make` is not called.
    func append(finishing: Bool = false, _ make: (_ position: Int, _ previous: Element?) -> Element) {
        state.withLock { state in
            guard !state.finished else { return }
            let element = make(state.history.count, state.history.last)
            state.history.append(element)
            for subscriber in state.subscribers { subscriber.yield(element) }
            if finishing {
                state.finished = true
                for subscriber in state.subscribers { subscriber.finish() }
                state.subscribers = []
            }
        }
    }

    func subscribe() -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self, bufferingPolicy: .unbounded)
        state.withLock { state in
            for element in state.history { continuation.yield(element) }
            if state.finished {
                continuation.finish()
            } else {
                state.subscribers.append(continuation)
            }
        }
        return stream
    }
}
