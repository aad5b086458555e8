import Synchronization
import Troupe
import TroupeTesting

/// A virtual clock with a way to drive it until a number of sleeps have been requested.
struct VirtualClockFixture {
    let clock = VirtualClock()

    /// Waits for each of `count` further sleeps in turn and advances the clock past it.
    func advance(through count: Int, by step: Duration) async {
        let already = clock.sleeps.count
        for index in 1...count {
            await clock.waitForSleeps(count: already + index)
            clock.advance(by: step)
        }
    }
}

/// A thread-safe counter.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    /// Adds one and returns the new value.
    @discardableResult
    func increment() -> Int { value.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue }

    var count: Int { value.load(ordering: .sequentiallyConsistent) }
}

extension WorkflowEvent.Kind {
    /// A short label for comparing event sequences.
    var label: String {
        switch self {
        case .instanceStarted: return "instanceStarted"
        case .nodeStarted(let node, let attempt): return "nodeStarted \(node) \(attempt)"
        case .nodeCompleted(let node, _): return "nodeCompleted \(node)"
        case .nodeFailed(let node, _, _): return "nodeFailed \(node)"
        case .nodeRetrying(let node, let attempt, _, _): return "nodeRetrying \(node) \(attempt)"
        case .nodeTimedOut(let node, _): return "nodeTimedOut \(node)"
        case .nodeCancelled(let node): return "nodeCancelled \(node)"
        case .nodeSkipped(let node, _): return "nodeSkipped \(node)"
        case .paused: return "paused"
        case .resumed: return "resumed"
        case .cancelled: return "cancelled"
        case .completed: return "completed"
        case .failed: return "failed"
        case .timedOut: return "timedOut"
        }
    }
}
