import Foundation

/// One durable run as its journal follows it in this process: its id, the next history sequence
/// number, each node's latest attempt (numbered on from those a crashed process recorded), and
/// a store failure that fails every node still to run.
final class JournaledRun: Sendable {
    let id: RunID
    /// Each node's attempts recorded by earlier processes; this process numbers its attempts on from there.
    private let bases: [String: Int]
    private struct State {
        var nextSequence: Int
        /// Each node's latest attempt started in this process, as recorded when it started.
        var started: [String: NodeAttemptRecord] = [:]
        var failure: StoreError?
    }

    private let state: LockedValue<State>

    init(id: RunID, nextSequence: Int = 1, attempts: [String: Int] = [:]) {
        self.id = id
        bases = attempts
        state = LockedValue(State(nextSequence: nextSequence))
    }

    /// The store error that failed the run's recording, if one did.
    var failure: StoreError? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }

    /// A history entry with the next sequence number.
    func event(_ kind: String, node: String? = nil, details: JSONValue = .null, at date: Date = Date()) -> RunEventRecord {
        let sequence = state.withLock { state -> Int in
            defer { state.nextSequence += 1 }
            return state.nextSequence
        }
        return RunEventRecord(runID: id, sequence: sequence, date: date, kind: kind, nodeID: node, details: details)
    }

    /// The record of `node`'s attempt `attempt` of this process as it starts, with its `nodeStarted`
    /// entry, stored number and start time; kept as the node's latest.
    func attemptStarting(_ node: String, attempt: Int) -> NodeAttemptRecord {
        let number = (bases[node] ?? 0) + attempt
        let now = Date()
        let record = NodeAttemptRecord(
            runID: id, nodeID: node, attempt: number, status: .running, startedAt: now,
            startEvent: event("nodeStarted", node: node, details: ["attempt": .integer(number)], at: now))
        state.withLock { $0.started[node] = record }
        return record
    }

    /// `node`'s latest attempt as it started, or, when none started in this process (an
    /// interceptor answered without calling the executor), a record of the latest stored number
    /// starting at `started`.
    func latestAttempt(of node: String, started: Date) -> NodeAttemptRecord {
        if let record = state.withLock({ $0.started[node] }) { return record }
        return NodeAttemptRecord(runID: id, nodeID: node, attempt: max(1, bases[node] ?? 1), status: .running, startedAt: started)
    }
}
