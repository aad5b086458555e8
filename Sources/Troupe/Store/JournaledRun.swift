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
        var failure: StoreError?
    }

    private let state: LockedValue<State>

    init(id: RunID, nextSequence: Int = 1, attempts: [String: Int] = [:], history: StoredHistory? = nil) {
        self.id = id
        self.history = history
        bases = attempts
        state = LockedValue(State(nextSequence: nextSequence, attempts: attempts))
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
        return state.withLock { state in
            state.attempts[node] = number
            return number
        }
    }

    /// `node`'s latest attempt number.
    func latestAttempt(of node: String) -> Int { state.withLock { max(1, $0.attempts[node] ?? 1) } }
}
