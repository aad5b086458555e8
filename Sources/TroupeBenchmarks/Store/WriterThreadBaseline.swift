import Dispatch
import Foundation
import Troupe

/// The store's writer thread with no runtime around it: a task hands one node's row to a writer
/// thread and awaits its commit, resumed by that thread. What one durable node's commit costs at
/// least when it waits on a writer thread (as it does while the store's writer is busy): a commit,
/// plus the hand-off to the thread and back. A commit that finds the writer idle skips the hand-off.
final class WriterThreadBaseline: @unchecked Sendable {
    private enum Job {
        case commit(index: Int, run: String, CheckedContinuation<Void, any Error>)
        case close(CheckedContinuation<Void, Never>)
    }

    // `raw` is used by the writer thread alone once it has started; `jobs` only under `lock`.
    private var raw: RawSQLiteBaseline
    private var jobs: [Job] = []
    private let lock = NSLock()
    private let work = DispatchSemaphore(value: 0)

    /// Opens a fresh database at `path` (as ``RawSQLiteBaseline``) and starts its writer thread.
    init(path: String, definition: DefinitionRecord) throws {
        raw = try RawSQLiteBaseline(path: path, definition: definition)
        Thread { [self] in write() }.start()
    }

    private func write() {
        while true {
            work.wait()
            let job = lock.withLock { jobs.removeFirst() }
            switch job {
            case .commit(let index, let run, let continuation):
                do {
                    try raw.commitNode(index, of: run)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            case .close(let continuation):
                raw.close()
                continuation.resume()
                return
            }
        }
    }

    private func hand(_ job: Job) {
        lock.withLock { jobs.append(job) }
        work.signal()
    }

    /// The median time from handing over a commit of one node's row to being resumed after it, over `count` commits.
    func commitLatency(count: Int) async throws -> Duration {
        let run = RunID().rawValue
        let clock = ContinuousClock()
        var times: [Duration] = []
        for index in 0..<count {
            let start = clock.now
            try await withCheckedThrowingContinuation { hand(.commit(index: index, run: run, $0)) }
            times.append(clock.now - start)
        }
        return times.sorted()[count / 2]
    }

    /// Stops the writer thread and closes the database.
    func close() async {
        await withCheckedContinuation { hand(.close($0)) }
    }
}
