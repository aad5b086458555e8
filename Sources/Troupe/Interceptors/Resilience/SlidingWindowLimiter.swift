/// The state of a `rate-limit`: per key, the times of the last `limit` admissions and the line
/// of callers waiting for a slot.
///
/// A call is admitted when fewer than `limit` admissions fall in the `window` before now. Waiting
/// callers are admitted in arrival order: only the first in line sleeps (until its oldest
/// admission leaves the window); the rest are parked and each is woken when it comes to the front.
final class SlidingWindowLimiter: Sendable {
    /// One key's admissions in the window, oldest first, and its line.
    private struct Window {
        /// Admission times; those before `start` have left the window and are dropped in batches.
        var times: [Duration] = []
        var start = 0
        var waiters = WaiterQueue()

        var count: Int { times.count - start }
        var oldest: Duration { times[start] }
        var newest: Duration? { times.last }

        mutating func expire(before now: Duration, window: Duration) {
            while start < times.count && times[start] + window <= now { start += 1 }
            if start == times.count {
                times.removeAll(keepingCapacity: true)
                start = 0
            } else if start > 32 && start * 2 > times.count {
                times.removeFirst(start)
                start = 0
            }
        }

        mutating func admit(at now: Duration) { times.append(now) }
    }

    private struct State {
        var windows: [String: Window] = [:]
        var sweepAt = 64
    }

    /// What a caller does next.
    private enum Step {
        case admitted(wake: WaiterResumption?)
        case sleep(until: Duration)
        case park
    }

    let limit: Int
    let window: Duration
    private let timeline: Timeline
    private let state = LockedValue(State())

    init(limit: Int, window: Duration, timeline: Timeline) {
        self.limit = limit
        self.window = window
        self.timeline = timeline
    }

    /// How many callers wait for a slot under `key`; tests use it to know a caller is in line.
    func waiting(key: String) -> Int { state.withLock { $0.windows[key]?.waiters.count ?? 0 } }

    /// Admits the call at once, or returns how long until a slot frees; never waits.
    func tryAdmit(key: String) -> Duration? {
        state.withLock { state in
            let now = timeline.now()
            var entry = state.windows.removeValue(forKey: key) ?? Window()
            defer { state.windows[key] = entry }
            entry.expire(before: now, window: window)
            guard entry.count >= limit else {
                entry.admit(at: now)
                sweep(&state)
                return nil
            }
            return entry.oldest + window - now
        }
    }

    /// Admits the call when a slot is free and no one waits before it, else waits its turn.
    /// Throws `CancellationError` when the task is cancelled while waiting; it then leaves the line.
    /// Returns how long the call waited, `nil` when it was admitted at once.
    @discardableResult
    func admit(key: String) async throws -> Duration? {
        let arrival = timeline.now()
        let id: UInt64? = state.withLock { state in
            let now = timeline.now()
            var entry = state.windows.removeValue(forKey: key) ?? Window()
            defer { state.windows[key] = entry }
            entry.expire(before: now, window: window)
            if entry.waiters.isEmpty && entry.count < limit {
                entry.admit(at: now)
                sweep(&state)
                return nil
            }
            return entry.waiters.enqueue()
        }
        guard let id else { return nil }
        do {
            while true {
                try Task.checkCancellation()
                switch step(id, key: key) {
                case .admitted(let wake):
                    wake?.resume()
                    return timeline.now() - arrival
                case .sleep(let deadline): try await timeline.sleep(deadline)
                case .park: try await park(id, key: key)
                }
            }
        } catch {
            leave(id, key: key)
            throw error
        }
    }

    private func step(_ id: UInt64, key: String) -> Step {
        state.withLock { state in
            guard var entry = state.windows.removeValue(forKey: key) else { preconditionFailure("a waiter's window is gone") }
            defer { state.windows[key] = entry }
            guard entry.waiters.first == id else { return .park }
            let now = timeline.now()
            entry.expire(before: now, window: window)
            guard entry.count < limit else { return .sleep(until: entry.oldest + window) }
            entry.admit(at: now)
            entry.waiters.remove(id)
            entry.waiters.forget(id)
            return .admitted(wake: entry.waiters.first.flatMap { entry.waiters.wake($0) })
        }
    }

    private func park(_ id: UInt64, key: String) async throws {
        defer { state.withLock { $0.windows[key]?.waiters.forget(id) } }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let now = state.withLock { $0.windows[key]?.waiters.park(id, on: continuation) }
                if let now { continuation.resume(with: now) }
            }
        } onCancel: {
            state.withLock { $0.windows[key]?.waiters.cancel(id) }?.resume(throwing: CancellationError())
        }
    }

    /// Takes a cancelled waiter out of the line; when it was first, the next one moves up.
    private func leave(_ id: UInt64, key: String) {
        let wake = state.withLock { state -> WaiterResumption? in
            guard var entry = state.windows.removeValue(forKey: key) else { return nil }
            defer { state.windows[key] = entry }
            entry.waiters.forget(id)
            guard entry.waiters.remove(id), let next = entry.waiters.first else { return nil }
            return entry.waiters.wake(next)
        }
        wake?.resume()
    }

    /// Drops idle keys once there are many, so a key per customer does not grow without bound.
    private func sweep(_ state: inout State) {
        guard state.windows.count >= state.sweepAt else { return }
        let now = timeline.now()
        state.windows = state.windows.filter { _, entry in
            !entry.waiters.isEmpty || entry.newest.map { $0 + window > now } == true
        }
        state.sweepAt = max(64, state.windows.count * 2)
    }
}
