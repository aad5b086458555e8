/// Runs one call per key at a time and hands its outcome to every identical call that arrived
/// while it ran.
///
/// When the running call fails, every waiter gets the same error. When it was cancelled (its
/// instance was, not theirs), waiters are not failed: they start over, and one of them runs.
/// A waiter that is cancelled itself leaves at once with `CancellationError`.
final class SingleFlight: Sendable {
    /// What a waiter learns.
    private enum Outcome: Sendable {
        case finished(Result<JSONValue, any Error>)
        case startOver
        case cancelled
    }

    private struct Flight {
        var waiters: [UInt64: CheckedContinuation<Outcome, Never>] = [:]
    }

    private struct State {
        var flights: [String: Flight] = [:]
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
    }

    /// Where a value came from.
    enum Source: Sendable, Hashable {
        /// The look-up found it.
        case stored
        /// An identical call in flight produced it.
        case shared
        /// This call ran the work.
        case computed
    }

    private let state = LockedValue(State())

    /// Returns `key`'s value: from `lookUp` when it has one, else from the flight in progress, else
    /// by running `work`, whose success is given to `keep` before anyone else is answered.
    func value(
        forKey key: String, lookUp: () async -> JSONValue?, work: () async throws -> JSONValue, keep: (JSONValue) async -> Void
    ) async throws -> (JSONValue, Source) {
        while true {
            if let found = await lookUp() { return (found, .stored) }
            guard let id = join(key) else {
                // The leader. It looks again: a flight that ended between the look-up and `join`
                // kept its value before it left.
                if let found = await lookUp() {
                    land(key, with: .finished(.success(found)))
                    return (found, .stored)
                }
                do {
                    let value = try await work()
                    await keep(value)
                    land(key, with: .finished(.success(value)))
                    return (value, .computed)
                } catch {
                    land(key, with: error is CancellationError || Task.isCancelled ? .startOver : .finished(.failure(error)))
                    throw error
                }
            }
            switch await wait(id, key: key) {
            case .finished(let result): return (try result.get(), .shared)
            case .startOver: continue
            case .cancelled: throw CancellationError()
            }
        }
    }

    /// How many calls wait on the flight for `key`; tests use it to know a caller joined.
    func waiting(key: String) -> Int { state.withLock { $0.flights[key]?.waiters.count ?? 0 } }

    /// Starts a flight for `key` and returns `nil`, or joins the one in progress and returns a waiter id.
    private func join(_ key: String) -> UInt64? {
        state.withLock { state in
            guard state.flights[key] != nil else {
                state.flights[key] = Flight()
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
    }

    private func wait(_ id: UInt64, key: String) async -> Outcome {
        // A cancel that came after the answer leaves its mark behind; it is no longer needed.
        defer { state.withLock { _ = $0.cancelled.remove(id) } }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let outcome = state.withLock { state -> Outcome? in
                    if state.cancelled.remove(id) != nil { return .cancelled }
                    // The flight may have landed before the waiter got here: start over and find the value.
                    guard state.flights[key] != nil else { return .startOver }
                    state.flights[key]?.waiters[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(returning: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
                if let waiter = state.flights[key]?.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume(returning: .cancelled)
        }
    }

    /// Ends the flight for `key` and tells every waiter.
    private func land(_ key: String, with outcome: Outcome) {
        let waiters = state.withLock { $0.flights.removeValue(forKey: key)?.waiters.values.map { $0 } ?? [] }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }
}
