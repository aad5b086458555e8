import Dispatch
import Foundation
import Troupe

/// The store's design with no runtime around it: `inFlight` tasks each hand their run's rows to a
/// writer thread one step at a time (the run's insert, each node, the run's end) and await the
/// commit before the next step, as a durable run awaits each node's completion; the writer commits
/// whatever waits in one transaction and resumes the waiters (group commit). What a commit awaited
/// per node costs at this width before any runtime work: the floor of the durable row. With one
/// caller it is a lone commit handed to a writer thread and awaited (``commitLatency(count:)``),
/// the path a durable node's commit takes while the store's writer is busy.
final class GroupCommitBaseline: @unchecked Sendable {
    private struct Job {
        let write: RawSQLiteBaseline.Write
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
                try raw.commit(batch.map(\.write))
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
                    for step in 0...11 { try await self.commit(.step(step, run: run)) }
                }
                started += 1
            }
            while started < min(inFlight, runs) { launch() }
            while try await group.next() != nil { if started < runs { launch() } }
        }
        return Double(runs * 10) / (clock.now - start).seconds
    }

    /// The median time from handing over a commit of one node's row to being resumed after it, over `count` commits.
    func commitLatency(count: Int) async throws -> Duration {
        let run = RunID().rawValue
        let clock = ContinuousClock()
        var times: [Duration] = []
        for index in 0..<count {
            let start = clock.now
            try await commit(.node(index, run: run))
            times.append(clock.now - start)
        }
        return times.sorted()[count / 2]
    }

    /// Hands `write` to the writer thread and returns once its transaction is committed.
    private func commit(_ write: RawSQLiteBaseline.Write) async throws {
        try await withCheckedThrowingContinuation { waiter in
            wakeWriter { pending.append(Job(write: write, waiter: waiter)) }
        }
    }

    /// Stops the writer thread and closes the database.
    func close() async {
        await withCheckedContinuation { closing in wakeWriter { self.closing = closing } }
    }
}
