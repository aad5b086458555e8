import Foundation
import Synchronization
import Troupe

/// A store that writes nothing but keeps the store's rhythm: every `commit` suspends, and a thread
/// of its own resumes all waiting commits together every `interval`, as the SQLite store's writer
/// resumes a batch per transaction. Runs on it cost what the runtime's durable path costs, with its
/// suspension and batched resumption, but none of the SQLite store's encoding, queueing or writing:
/// the durable row's CPU less this is what the store adds.
final class WritelessStore: RunStore {
    let owner = "writeless"
    private let state = Mutex<(waiters: [CheckedContinuation<Void, any Error>], closed: Bool)>(([], false))

    /// Starts the thread that resumes waiting commits every `interval`, until ``close()``.
    init(interval: Duration) {
        let microseconds = UInt32(interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000)
        // The thread holds the store until `close()`, as the SQLite store's writer does.
        Thread { [self] in
            while true {
                usleep(microseconds)
                let (waiters, closed) = state.withLock { state in
                    defer { state.waiters = [] }
                    return (state.waiters, state.closed)
                }
                for waiter in waiters { waiter.resume() }
                if closed { return }
            }
        }.start()
    }

    func commit(_ writes: [StoreWrite]) async throws {
        try await withCheckedThrowingContinuation { waiter in
            let accepted = state.withLock { state in
                if !state.closed { state.waiters.append(waiter) }
                return !state.closed
            }
            if !accepted { waiter.resume(throwing: BenchmarkFailure(description: "a commit after the writeless store closed")) }
        }
    }

    func submit(_ writes: [StoreWrite]) {}

    func insert(_ run: RunRecord, definition: DefinitionRecord) async throws -> RunRecord { run }

    func claimOrphanedRuns(_ ids: [RunID]?) async throws -> [RunRecord] { [] }

    func run(_ id: RunID) async throws -> RunRecord? { nil }

    func runs(_ query: RunQuery) async throws -> [RunRecord] { [] }

    func attempts(of run: RunID) async throws -> [NodeAttemptRecord] { [] }

    func events(of run: RunID) async throws -> [RunEventRecord] { [] }

    func definition(_ hash: String) async throws -> DefinitionRecord? { nil }

    func prune(endedBefore date: Date, status: RunStatus?) async throws -> Int { 0 }

    func close() async { state.withLock { $0.closed = true } }
}
