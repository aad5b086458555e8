import Foundation

/// One durable run as its journal follows it in this process: its id, the next history sequence
/// number, each node's latest attempt (numbered on from those a crashed process recorded), and
/// a store failure that fails every node still to run.
final class JournaledRun: Sendable {
    let id: RunID
    /// For a resumed run, its history as stored before this process resumed it; `nil` for a new run.
    let history: StoredHistory?
    /// Each node's attempts recorded by earlier processes; this process numbers its attempts on from there.
    private let bases: [String: Int]
    private struct State {
        var nextSequence: Int
        /// Each node's latest attempt started in this process: what its start recorded.
        var started: [String: Start] = [:]
        /// Due times an earlier process recorded, each taken once (see RunJournal+DueTimes.swift).
        var backOffs: [String: Date]
        var wakes: [String: Date]
        var failure: StoreError?
        /// The child run each `workflow` node's latest attempt started or re-attached to.
        var childRuns: [String: RunID] = [:]
    }

    /// What an attempt's start recorded, from which its record is made again as it ends: smaller
    /// to keep (and to move as the table grows) than the record itself.
    private struct Start {
        var attempt: Int
        var date: Date
        var sequence: Int
    }

    private let state: LockedValue<State>

    /// `nextSequence` is 0 for a new run, whose history is numbered from 0 like its live events
    /// (`runStarted` is its `instanceStarted`); `backOffs` holds when each node waiting to retry is
    /// due to, `wakes` when each sleeping `sleep` node wakes.
    init(
        id: RunID, nextSequence: Int = 0, attempts: [String: Int] = [:], history: StoredHistory? = nil, backOffs: [String: Date] = [:],
        wakes: [String: Date] = [:]
    ) {
        self.id = id
        self.history = history
        bases = attempts
        state = LockedValue(State(nextSequence: nextSequence, backOffs: backOffs, wakes: wakes))
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
        let start = state.withLock { state -> Start in
            let start = Start(attempt: number, date: Date(), sequence: state.nextSequence)
            state.nextSequence += 1
            state.started[node] = start
            // Most runs have no `workflow` node: no lookup for them.
            if !state.childRuns.isEmpty { state.childRuns[node] = nil }
            return start
        }
        return record(of: node, start)
    }

    /// `node`'s latest attempt as it started, or, when none started in this process (an
    /// interceptor answered without calling the executor), a record of the latest stored number
    /// starting at `started`; with the child run it started, if any, and its end's entry, `kind`
    /// at `date` with the details made from the attempt's number, numbered next.
    func attemptEnding(
        _ node: String, started: Date, kind: String, at date: Date, details: (_ attempt: Int) -> JSONValue
    ) -> NodeAttemptRecord {
        let (start, child, sequence) = state.withLock { state -> (Start?, RunID?, Int) in
            defer { state.nextSequence += 1 }
            return (state.started[node], state.childRuns.isEmpty ? nil : state.childRuns[node], state.nextSequence)
        }
        var latest =
            start.map { record(of: node, $0) }
            ?? NodeAttemptRecord(runID: id, nodeID: node, attempt: max(1, bases[node] ?? 1), status: .running, startedAt: started)
        latest.childRunID = child
        latest.endEvent = RunEventRecord(runID: id, sequence: sequence, date: date, kind: kind, nodeID: node, details: details(latest.attempt))
        return latest
    }

    /// The record an attempt's start recorded.
    private func record(of node: String, _ start: Start) -> NodeAttemptRecord {
        NodeAttemptRecord(
            runID: id, nodeID: node, attempt: start.attempt, status: .running, startedAt: start.date,
            startEvent: RunEventRecord(
                runID: id, sequence: start.sequence, date: start.date, kind: "nodeStarted", nodeID: node,
                details: ["attempt": .integer(start.attempt)]))
    }

    /// How many attempts of `node` earlier processes recorded: this process's attempts number on from there.
    func attemptBase(of node: String) -> Int { bases[node] ?? 0 }

    /// When `node`'s latest attempt in this process started.
    func latestStart(of node: String) -> Date? { state.withLock { $0.started[node]?.date } }

    /// `node`'s latest attempt number.
    func latestAttempt(of node: String) -> Int { state.withLock { $0.started[node]?.attempt } ?? max(1, bases[node] ?? 1) }

    /// The time an earlier process recorded for `node`'s next attempt, once.
    func takeBackOff(of node: String) -> Date? { state.withLock { $0.backOffs.removeValue(forKey: node) } }

    /// The wake-up an earlier process recorded for `node` (a `sleep` node), once.
    func takeWake(of node: String) -> Date? { state.withLock { $0.wakes.removeValue(forKey: node) } }

    /// Records that `node`'s latest attempt runs the child run `child`.
    func attach(child: RunID, to node: String) { state.withLock { $0.childRuns[node] = child } }

    /// The child run of `node`'s latest attempt, if it is a `workflow` node that started one.
    func childRun(of node: String) -> RunID? { state.withLock { $0.childRuns[node] } }
}
