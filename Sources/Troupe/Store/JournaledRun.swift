import Foundation

/// One durable run as its journal follows it in this process: its id, the next history sequence
/// number, each node's latest attempt number (continuing those a crashed process recorded), and
/// a store failure that fails every node still to run.
final class JournaledRun: Sendable {
    let id: RunID
    /// For a resumed run, its history as stored before this process resumed it; `nil` for a new run.
    let history: StoredHistory?
    /// Each node's attempts recorded by earlier processes; this process numbers its attempts on from there.
    private let bases: [String: Int]
    private struct State {
        var nextSequence: Int
        var attempts: [String: Int]
        /// When each node's latest attempt started, for rewriting its row with a due time.
        var starts: [String: Date] = [:]
        /// Due times an earlier process recorded, each taken once (see RunJournal+DueTimes.swift).
        var backOffs: [String: Date]
        var wakes: [String: Date]
        var failure: StoreError?
        /// The child run each `workflow` node's latest attempt started or re-attached to.
        var childRuns: [String: RunID] = [:]
    }

    private let state: LockedValue<State>

    /// `backOffs` holds when each node waiting to retry is due to, `wakes` when each sleeping `sleep` node wakes.
    init(
        id: RunID, nextSequence: Int = 1, attempts: [String: Int] = [:], history: StoredHistory? = nil, backOffs: [String: Date] = [:],
        wakes: [String: Date] = [:]
    ) {
        self.id = id
        self.history = history
        bases = attempts
        state = LockedValue(State(nextSequence: nextSequence, attempts: attempts, backOffs: backOffs, wakes: wakes))
    }

    /// The store error that failed the run's recording, if one did.
    var failure: StoreError? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }

    /// A history entry with the next sequence number.
    func event(_ kind: String, node: String? = nil, details: JSONValue = .null) -> RunEventRecord {
        let sequence = state.withLock { state -> Int in
            defer { state.nextSequence += 1 }
            return state.nextSequence
        }
        return RunEventRecord(runID: id, sequence: sequence, kind: kind, nodeID: node, details: details)
    }

    /// The stored number of `node`'s attempt `attempt` of this process, recorded as its latest.
    func attemptStarting(_ node: String, attempt: Int) -> Int {
        let number = (bases[node] ?? 0) + attempt
        let now = Date()
        return state.withLock { state in
            state.attempts[node] = number
            state.starts[node] = now
            state.childRuns[node] = nil
            return number
        }
    }

    /// When `node`'s latest attempt in this process started.
    func latestStart(of node: String) -> Date? { state.withLock { $0.starts[node] } }

    /// The time an earlier process recorded for `node`'s next attempt, once.
    func takeBackOff(of node: String) -> Date? { state.withLock { $0.backOffs.removeValue(forKey: node) } }

    /// The wake-up an earlier process recorded for `node` (a `sleep` node), once.
    func takeWake(of node: String) -> Date? { state.withLock { $0.wakes.removeValue(forKey: node) } }

    /// Records that `node`'s latest attempt runs the child run `child`.
    func attach(child: RunID, to node: String) { state.withLock { $0.childRuns[node] = child } }

    /// The child run of `node`'s latest attempt, if it is a `workflow` node that started one.
    func childRun(of node: String) -> RunID? { state.withLock { $0.childRuns[node] } }

    /// `node`'s latest attempt number.
    func latestAttempt(of node: String) -> Int { state.withLock { max(1, $0.attempts[node] ?? 1) } }
}
