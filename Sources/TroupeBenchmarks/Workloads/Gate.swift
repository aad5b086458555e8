import Synchronization

/// A barrier for suspended work: every ``wait()`` suspends until the next ``releaseWaiters()``.
///
/// It uses unsafe continuations, which allocate nothing of their own, so that the memory benchmark
/// counts the suspended work and not the gate; it ignores cancellation, which the benchmarks never use.
final class Gate: Sendable {
    /// The continuations of the callers suspended now.
    private let waiters = Mutex<[UnsafeContinuation<Void, Never>]>([])

    /// How many callers are suspended in ``wait()`` now.
    var waiting: Int { waiters.withLock { $0.count } }

    /// Suspends until the next ``releaseWaiters()``.
    func wait() async {
        await withUnsafeContinuation { continuation in
            waiters.withLock { $0.append(continuation) }
        }
    }

    /// Resumes every caller suspended now; later callers wait for the next release.
    func releaseWaiters() {
        let released = waiters.withLock { waiters in
            defer { waiters = [] }
            return waiters
        }
        for waiter in released { waiter.resume() }
    }

    /// Returns once `count` callers are suspended, polling every millisecond; throws after `limit`.
    func untilWaiting(_ count: Int, limit: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + limit
        while waiting < count {
            guard ContinuousClock.now < deadline else {
                throw BenchmarkFailure(description: "only \(waiting) of \(count) callers reached the gate within \(limit)")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}
