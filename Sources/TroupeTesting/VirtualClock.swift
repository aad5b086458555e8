@_spi(Development) import Troupe

/// A clock whose time moves only when a test advances it, so retries, timeouts and deadlines run without sleeping.
///
/// A test drives it by events, never by wall-clock time: ``waitForSleepers(_:)`` returns once code
/// under test is asleep on it, and ``advance(by:)`` then wakes whoever is due.
public final class VirtualClock: Clock, Sendable {
    /// A point on the virtual time line.
    public struct Instant: InstantProtocol, Sendable, Hashable, Comparable {
        /// Time since the clock was created.
        public var offset: Duration

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// A test waiting in ``waitForSleeps(count:)`` or ``waitForSleepers(_:)``.
    private struct Waiter {
        enum Condition {
            /// That many calls to `sleep` in all.
            case sleeps(Int)
            /// That many sleepers waiting at once.
            case sleepers(Int)
        }

        let condition: Condition
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [UInt64: Sleeper] = [:]
        /// Sleeps and waits cancelled before their continuation was stored; they must not be stored afterwards.
        var cancelledTokens: Set<UInt64> = []
        var nextToken: UInt64 = 0
        var sleepHistory: [Duration] = []
        var waiters: [UInt64: Waiter] = [:]

        mutating func takeToken() -> UInt64 {
            nextToken += 1
            return nextToken
        }

        func isMet(_ condition: Waiter.Condition) -> Bool {
            switch condition {
            case .sleeps(let count): return sleepHistory.count >= count
            case .sleepers(let count): return sleepers.count >= count
            }
        }

        mutating func takeSatisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            let satisfied = waiters.filter { isMet($0.value.condition) }
            for token in satisfied.keys { waiters.removeValue(forKey: token) }
            return satisfied.values.map(\.continuation)
        }
    }

    private let state = LockedValue(State())

    /// Creates a clock at offset zero.
    public init() {}

    /// The current virtual time.
    public var now: Instant { state.withLock { $0.now } }

    /// Virtual time has no resolution limit.
    public var minimumResolution: Duration { .zero }

    /// Every duration that `sleep` was asked for, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleepHistory } }

    /// How many sleepers are waiting now.
    public var pendingSleepers: Int { state.withLock { $0.sleepers.count } }

    /// Suspends until the clock is advanced to `deadline`; throws `CancellationError` when the task
    /// is cancelled, also when it already was.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let token = state.withLock { $0.takeToken() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, waiters) = state.withLock { state -> (Result<Void, any Error>?, [CheckedContinuation<Void, Never>]) in
                    state.sleepHistory.append(state.now.duration(to: deadline))
                    if state.cancelledTokens.remove(token) != nil { return (.failure(CancellationError()), state.takeSatisfiedWaiters()) }
                    if deadline <= state.now { return (.success(()), state.takeSatisfiedWaiters()) }
                    state.sleepers[token] = Sleeper(deadline: deadline, continuation: continuation)
                    return (nil, state.takeSatisfiedWaiters())
                }
                for waiter in waiters { waiter.resume() }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let sleeper = state.sleepers.removeValue(forKey: token) { return sleeper }
                state.cancelledTokens.insert(token)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come, earliest first.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for token in due.keys { state.sleepers.removeValue(forKey: token) }
            return due.values.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Returns once `count` calls to `sleep` have been made in all since the clock was created, or
    /// once the task is cancelled (a test's time limit), so that a sleep that never comes fails the
    /// test instead of holding up the whole run.
    public func waitForSleeps(count: Int) async {
        await wait(until: .sleeps(count))
    }

    /// Returns once at least `count` sleepers are waiting at the same time, however many slept
    /// before, or once the task is cancelled (a test's time limit).
    public func waitForSleepers(_ count: Int = 1) async {
        await wait(until: .sleepers(count))
    }

    private func wait(until condition: Waiter.Condition) async {
        let token = state.withLock { $0.takeToken() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.cancelledTokens.remove(token) != nil || state.isMet(condition) { return true }
                    state.waiters[token] = Waiter(condition: condition, continuation: continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let waiter = state.waiters.removeValue(forKey: token) { return waiter }
                state.cancelledTokens.insert(token)
                return nil
            }
            waiter?.continuation.resume()
        }
    }
}
