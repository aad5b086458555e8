import Foundation

/// One durable run as its journal follows it in this process: its id, the next history sequence
/// number, each node's latest attempt number (continuing those a crashed process recorded), and
/// a store failure that fails every node still to run.
final class JournaledRun: Sendable {
    let id: RunID
    /// Each node's attempts recorded by earlier processes; this process numbers its attempts on from there.
    private let bases: [String: Int]
    private struct State {
        var nextSequence: Int
        var attempts: [String: Int]
        var failure: StoreError?
        /// The child run each `workflow` node's latest attempt started or re-attached to.
        var childRuns: [String: RunID] = [:]
    }

    private let state: LockedValue<State>

    init(id: RunID, nextSequence: Int = 1, attempts: [String: Int] = [:]) {
        self.id = id
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
            state.childRuns[node] = nil
            return number
        }
    }

    /// Records that `node`'s latest attempt runs the child run `child`.
    func attach(child: RunID, to node: String) { state.withLock { $0.childRuns[node] = child } }

    /// The child run of `node`'s latest attempt, if it is a `workflow` node that started one.
    func childRun(of node: String) -> RunID? { state.withLock { $0.childRuns[node] } }

    /// `node`'s latest attempt number.
    func latestAttempt(of node: String) -> Int { state.withLock { max(1, $0.attempts[node] ?? 1) } }
}
