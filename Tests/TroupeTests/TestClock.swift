import Synchronization
import Troupe
import TroupeTesting

/// A virtual clock with a way to drive it, sleep by sleep.
struct VirtualClockFixture {
    let clock = VirtualClock()

    /// `count` times: waits until something sleeps on the clock, then advances it by `step`.
    ///
    /// It waits for a sleeper that is waiting now, not for a count of sleeps since some moment, so
    /// it does not matter how often the code under test slept before.
    func advance(through count: Int, by step: Duration) async {
        for _ in 0..<count {
            await clock.waitForSleepers()
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
        case .nodeWaiting(let node, _): return "nodeWaiting \(node)"
        case .nodeSignalled(let node, _): return "nodeSignalled \(node)"
        case .interceptorNote(let node, let note): return "note \(node) \(note.interceptor) \(note.event)"
        case .paused: return "paused"
        case .resumed: return "resumed"
        case .cancelled: return "cancelled"
        case .completed: return "completed"
        case .failed: return "failed"
        case .timedOut: return "timedOut"
        }
    }
}
