import Synchronization

/// Callers waiting in arrival order, each parked on a continuation until woken or cancelled.
///
/// Not thread-safe: it lives inside a limiter's lock, and the continuations it hands out are
/// resumed after the lock is released. Waking and cancelling may come before the waiter parks, so
/// each is remembered until then.
struct WaiterQueue {
    private enum Parking {
        case waiting(WaiterResumption)
        case woken
        case cancelled
    }

    private var order: [UInt64] = []
    private var parking: [UInt64: Parking] = [:]
    /// Ids unique across every queue: a limiter drops an idle key's queue and makes a new one later,
    /// while a cancelled waiter of the old one may still be on its way out with its id.
    private static let ids = Atomic<UInt64>(1)

    /// How many are waiting.
    var count: Int { order.count }

    /// Whether no one is waiting.
    var isEmpty: Bool { order.isEmpty }

    /// The waiter that arrived first, if any.
    var first: UInt64? { order.first }

    /// Whether `id` is still in line.
    func contains(_ id: UInt64) -> Bool { order.contains(id) }

    /// Adds a waiter at the end and returns its id.
    mutating func enqueue() -> UInt64 {
        let id = Self.ids.wrappingAdd(1, ordering: .relaxed).oldValue
        order.append(id)
        return id
    }

    /// Takes `id` out of the line; returns whether it was first.
    @discardableResult
    mutating func remove(_ id: UInt64) -> Bool {
        guard let position = order.firstIndex(of: id) else { return false }
        order.remove(at: position)
        return position == 0
    }

    /// Whether `id` was woken and has not parked since; forgets it.
    mutating func takeWoken(_ id: UInt64) -> Bool {
        guard case .woken = parking[id] else { return false }
        parking[id] = nil
        return true
    }

    /// Wakes `id`: returns its continuation to resume, or remembers the wake for when it parks.
    mutating func wake(_ id: UInt64) -> WaiterResumption? {
        if case .waiting(let continuation) = parking[id] {
            parking[id] = nil
            return continuation
        }
        parking[id] = .woken
        return nil
    }

    /// Parks `id` on `continuation`; returns how to resume it at once when it was woken or
    /// cancelled before, else keeps it and returns `nil`.
    mutating func park(_ id: UInt64, on continuation: CheckedContinuation<Void, any Error>) -> Result<Void, any Error>? {
        // Resumed at once by the caller when a result is returned, else kept wrapped to resume once.
        switch parking.removeValue(forKey: id) {
        case .woken: return .success(())
        case .cancelled: return .failure(CancellationError())
        case .waiting, nil:
            parking[id] = .waiting(WaiterResumption(continuation))
            return nil
        }
    }

    /// Cancels a parked `id`: returns its continuation to resume with an error, or remembers the
    /// cancel for when it parks. A wake that came first wins.
    mutating func cancel(_ id: UInt64) -> WaiterResumption? {
        switch parking[id] {
        case .waiting(let continuation):
            parking[id] = nil
            return continuation
        case .woken: return nil
        case .cancelled, nil:
            parking[id] = .cancelled
            return nil
        }
    }

    /// Forgets any wake or cancel remembered for `id`, once it is gone.
    mutating func forget(_ id: UInt64) { parking[id] = nil }
}
