import Dispatch
import Foundation
import Troupe

/// The store's design with no runtime around it: `inFlight` tasks each hand their run's rows to a
/// writer thread one step at a time (the run's insert, each node, the run's end) and await the
/// commit before the next step, as a durable run awaits each node's completion; the writer commits
/// whatever waits in one transaction and resumes the waiters (group commit). What a commit awaited
/// per node costs at this width before any runtime work: the floor of the durable row.
final class GroupCommitBaseline: @unchecked Sendable {
    private struct Job {
        let step: Int
        let run: String
        let waiter: CheckedContinuation<Void, any Error>
    }

    // `raw` is used by the writer thread alone once it has started; the rest only under `lock`.
    private var raw: RawSQLiteBaseline
    private var pending: [Job] = []
    private var writerIdle = true
    private var closing: CheckedContinuation<Void, Never>?
    private let lock = NSLock()
    private let work = DispatchSemaphore(value: 0)

    /// Opens a fresh database at `path` (as ``RawSQLiteBaseline``) and starts its writer thread.
    init(path: String, definition: DefinitionRecord) throws {
        raw = try RawSQLiteBaseline(path: path, definition: definition)
        Thread { [self] in write() }.start()
    }

    private func write() {
        while true {
            let (batch, closing) = lock.withLock { () -> ([Job], CheckedContinuation<Void, Never>?) in
                defer { pending = [] }
                if pending.isEmpty { writerIdle = true }
                return (pending, pending.isEmpty ? self.closing : nil)
            }
            if let closing {
                raw.close()
                closing.resume()
                return
            }
            if batch.isEmpty {
                work.wait()
                continue
            }
            do {
                try raw.commit(steps: batch.map { ($0.step, $0.run) })
                for job in batch { job.waiter.resume() }
            } catch {
                for job in batch { job.waiter.resume(throwing: error) }
            }
        }
    }

    private func wakeWriter(_ change: () -> Void) {
        let wake = lock.withLock {
            change()
            defer { writerIdle = false }
            return writerIdle
        }
        if wake { work.signal() }
    }

    /// Runs `runs` chain10 runs, `inFlight` at a time, each step awaited; returns node completions per second.
    func nodeCompletionsPerSecond(runs: Int, inFlight: Int) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started = 0
            func launch() {
                group.addTask {
                    let run = RunID().rawValue
                    for step in 0...11 {
                        try await withCheckedThrowingContinuation { waiter in
                            self.wakeWriter { self.pending.append(Job(step: step, run: run, waiter: waiter)) }
                        }
                    }
                }
                started += 1
            }
            while started < min(inFlight, runs) { launch() }
            while try await group.next() != nil { if started < runs { launch() } }
        }
        return Double(runs * 10) / (clock.now - start).seconds
    }

    /// Stops the writer thread and closes the database.
    func close() async {
        await withCheckedContinuation { closing in wakeWriter { self.closing = closing } }
    }
}
