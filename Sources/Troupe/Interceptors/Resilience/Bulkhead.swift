/// The state of a `concurrency-limit`: per key, the calls running and the line of callers
/// waiting for one of them to end.
///
/// A permit that ends is handed straight to the first in line, so a newcomer can never overtake
/// a waiter; a waiter cancelled before it got a permit leaves the line, and one cancelled just
/// after passes the permit on.
final class Bulkhead: Sendable {
    private struct Slots {
        var running = 0
        var waiters = WaiterQueue()
    }

    let limit: Int
    private let state = LockedValue<[String: Slots]>([:])

    init(limit: Int) { self.limit = limit }

    /// How many callers wait for a permit under `key`; tests use it to know a caller is in line.
    func waiting(key: String) -> Int { state.withLock { $0[key]?.waiters.count ?? 0 } }

    /// Takes a permit when one is free and no one waits; never waits.
    func tryAcquire(key: String) -> Bool {
        state.withLock { slots in
            guard slots[key, default: Slots()].running < limit else { return false }
            slots[key, default: Slots()].running += 1
            return true
        }
    }

    /// Takes a permit, waiting in line for one; throws `CancellationError` when cancelled first.
    /// Returns whether the call had to wait in line.
    @discardableResult
    func acquire(key: String) async throws -> Bool {
        let id: UInt64? = state.withLock { slots in
            var entry = slots.removeValue(forKey: key) ?? Slots()
            defer { slots[key] = entry }
            guard entry.waiters.isEmpty && entry.running < limit else { return entry.waiters.enqueue() }
            entry.running += 1
            return nil
        }
        guard let id else { return false }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let now = state.withLock { $0[key]?.waiters.park(id, on: continuation) }
                    if let now { continuation.resume(with: now) }
                }
            } onCancel: {
                state.withLock { $0[key]?.waiters.cancel(id) }?.resume(throwing: CancellationError())
            }
            state.withLock { $0[key]?.waiters.forget(id) }
            return true
        } catch {
            abandon(id, key: key)
            throw error
        }
    }

    /// Gives a permit back: to the first in line, or to the pool.
    func release(key: String) {
        let wake = state.withLock { slots -> WaiterResumption? in
            guard var entry = slots.removeValue(forKey: key) else { preconditionFailure("a permit was released for a key with none") }
            if let next = entry.waiters.first {
                entry.waiters.remove(next)
                slots[key] = entry
                return entry.waiters.wake(next)
            }
            entry.running -= 1
            // An idle key holds nothing worth keeping.
            if entry.running > 0 { slots[key] = entry }
            return nil
        }
        wake?.resume()
    }

    /// A cancelled waiter leaves the line, or, when a permit reached it meanwhile, passes it on.
    private func abandon(_ id: UInt64, key: String) {
        let granted = state.withLock { slots -> Bool in
            guard var entry = slots.removeValue(forKey: key) else { return false }
            defer { slots[key] = entry }
            if entry.waiters.contains(id) {
                entry.waiters.remove(id)
                entry.waiters.forget(id)
                return false
            }
            let woken = entry.waiters.takeWoken(id)
            entry.waiters.forget(id)
            return woken
        }
        if granted { release(key: key) }
    }
}
