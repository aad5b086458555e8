import Synchronization

/// A parked waiter's continuation that resumes at most once.
///
/// Waking and cancelling race by design (a permit may reach a waiter as it is cancelled); the
/// queue's bookkeeping decides which one wins, and this makes a mistake in it a dropped resume
/// instead of a trap that would take every instance of the host down.
final class WaiterResumption: Sendable {
    private let continuation: CheckedContinuation<Void, any Error>
    private let resumed = Atomic<Bool>(false)

    init(_ continuation: CheckedContinuation<Void, any Error>) {
        self.continuation = continuation
    }

    /// Resumes the waiter with `outcome`, unless it was resumed before.
    func resume(with outcome: Result<Void, any Error>) {
        guard resumed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        continuation.resume(with: outcome)
    }

    /// Lets the waiter go on.
    func resume() { resume(with: .success(())) }

    /// Wakes the waiter with `error`.
    func resume(throwing error: any Error) { resume(with: .failure(error)) }
}
