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
        /// The live instance of each child run in `childRuns` that runs here, which stopping its node cancels.
        var liveChildren: [String: InstanceControl] = [:]
        /// Set once its `runEnded` entry is submitted: nothing is recorded after it, as its live
        /// events end there (abandoned code may still return after a deadline).
        var ended = false
        /// The nodes the instance stopped while they ran (at its deadline, say), whose end that
        /// recorded: what their abandoned code reports later is not recorded.
        var stopped: Set<String> = []

        /// Whether `node`'s attempts may still be recorded.
        func records(_ node: String) -> Bool { !ended && (stopped.isEmpty || !stopped.contains(node)) }
    }

    /// What an attempt's start recorded, from which its record is made again as it ends: smaller
    /// to keep (and to move as the table grows) than the record itself.
    private struct Start {
        var attempt: Int
        var date: Date
        var sequence: Int
        /// Whether its row holds an end entry already (its `nodeRetrying`): a later end then goes beside it, not over it.
        var ended = false
        /// How it failed, once it has: the error a further attempt that nobody reported retries after.
        var failure: String?
        /// Whether its end is recorded: the instance stopping the node just after its pipeline
        /// ended (before the node's actor learnt it) records no second end over it.
        var finished = false
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

    // Every history entry is numbered and handed to the store in one step, under the run's lock:
    // the store receives a run's entries in the order of their numbers and commits them in that
    // order (``RunStore``'s contract), so a crash can lose only the last ones, never one between
    // two it kept. Numbered first and submitted after, two nodes running side by side could hand
    // over 6 before 5, and a crash between their commits would leave a gap at 5.

    /// Numbers a history entry, `kind` at `date`, and submits the writes `writes` makes of it (the entry alone by default).
    func submit(
        to store: any RunStore, entry kind: String, node: String? = nil, details: JSONValue = .null, at date: Date = Date(),
        _ writes: (RunEventRecord) -> [StoreWrite] = { [.event($0)] }
    ) {
        state.withLock { state in
            if let node { guard state.records(node) else { return } } else { guard !state.ended else { return } }
            defer { state.nextSequence += 1 }
            let entry = RunEventRecord(runID: id, sequence: state.nextSequence, date: date, kind: kind, nodeID: node, details: details)
            store.submit(writes(entry))
        }
    }

    /// Submits the run's `runEnded` entry, `writes` made of it, with the child runs of the nodes it
    /// stopped as ``abandoned(_:by:)``; nothing is recorded after it.
    func submitEnd(to store: any RunStore, status: RunStatus, _ writes: (RunEventRecord) -> [StoreWrite]) {
        state.withLock { state in
            guard !state.ended else { return }
            state.ended = true
            let entry = RunEventRecord(
                runID: id, sequence: state.nextSequence, date: Date(), kind: "runEnded", details: ["status": .string(status.rawValue)])
            state.nextSequence += 1
            // With the end, not at the stop: a child's insert may be queued between the two, and
            // one queued after the end is refused (``RunStore/insert(_:definition:)``).
            let children = state.stopped.compactMap { node in state.childRuns[node].map { abandoned($0, by: node) } }
            store.submit(children + writes(entry))
        }
    }

    /// Submits the record of `node`'s attempt `attempt` of this process as it starts, with its
    /// `nodeStarted` entry, stored number and start time, kept as the node's latest; returns it.
    ///
    /// A latest attempt that no reported retry ended (an interceptor called the chain again without
    /// ``NodeContext/retrying(afterAttempt:delay:error:)``) first gets its `nodeRetrying` entry, with
    /// no delay, as the node's live events show it.
    ///
    /// A further attempt in this process is numbered after the latest, whatever number its call
    /// carries: an interceptor that calls the chain again passes the call it was given.
    func submitAttemptStart(of node: String, attempt: Int, to store: any RunStore) -> NodeAttemptRecord {
        state.withLock { state in
            let previous = state.started[node]
            let number = previous.map { $0.attempt + 1 } ?? (bases[node] ?? 0) + attempt
            // A stopped or ended node's abandoned code that calls its chain again starts nothing on record.
            guard state.records(node), previous?.finished != true else {
                return NodeAttemptRecord(runID: id, nodeID: node, attempt: number, status: .running, startedAt: Date())
            }
            if let previous, !previous.ended {
                let error = previous.failure ?? "attempt \(previous.attempt) was retried"
                let entry = RunEventRecord(
                    runID: id, sequence: state.nextSequence, date: Date(), kind: "nodeRetrying", nodeID: node,
                    details: ["attempt": .integer(previous.attempt), "delay": .double(0), "error": .string(error)])
                state.nextSequence += 1
                // An entry of its own: the attempt's row keeps how it failed.
                store.submit([.event(entry)])
            }
            let start = Start(attempt: number, date: Date(), sequence: state.nextSequence)
            state.nextSequence += 1
            state.started[node] = start
            // Most runs have no `workflow` node: no lookup for them.
            if !state.childRuns.isEmpty {
                state.childRuns[node] = nil
                state.liveChildren[node] = nil
            }
            let record = record(of: node, start)
            store.submit([.attempt(record)])
            return record
        }
    }

    /// Submits `node`'s latest attempt as it started, or, when none started in this process (an
    /// interceptor answered without calling the executor), a record of the latest stored number
    /// starting at `started`; with the child run it started, if any, its end's entry, `kind` at
    /// `date` with the details made from the attempt's number, numbered next, and what `end` sets.
    ///
    /// The entry goes in the attempt's row unless the row may hold an end entry already (its
    /// `nodeRetrying`, or an earlier process's attempt): then it is an entry of its own, since a
    /// row keeps one end entry and the one it held would leave a gap in the history.
    func submitAttemptEnd(
        of node: String, started: Date, kind: String, at date: Date, to store: any RunStore, details: (_ attempt: Int) -> JSONValue,
        end: (inout NodeAttemptRecord) -> Void
    ) {
        state.withLock { state in
            submitAttemptEnd(of: node, started: started, kind: kind, at: date, to: store, in: &state, details: details, end: end)
        }
    }

    private func submitAttemptEnd(
        of node: String, started: Date, kind: String, at date: Date, to store: any RunStore, in state: inout State,
        details: (_ attempt: Int) -> JSONValue, end: (inout NodeAttemptRecord) -> Void
    ) {
        guard state.records(node) else { return }
        // An ended attempt's child is not cancelled by a later stop: none comes for this attempt.
        if !state.liveChildren.isEmpty { state.liveChildren[node] = nil }
        let slot = state.started.index(forKey: node)
        let start = slot.map { state.started.values[$0] }
        if let slot {
            guard !state.started.values[slot].finished else { return }
            state.started.values[slot].finished = true
        }
        defer { state.nextSequence += 1 }
        var latest =
            start.map { record(of: node, $0) }
            ?? NodeAttemptRecord(runID: id, nodeID: node, attempt: max(1, bases[node] ?? 1), status: .running, startedAt: started)
        latest.childRunID = state.childRuns.isEmpty ? nil : state.childRuns[node]
        let entry = RunEventRecord(runID: id, sequence: state.nextSequence, date: date, kind: kind, nodeID: node, details: details(latest.attempt))
        end(&latest)
        if let start, !start.ended {
            latest.endEvent = entry
            store.submit([.attempt(latest)])
        } else {
            store.submit([.attempt(latest), .event(entry)])
        }
    }

    /// Submits `failed`, `node`'s latest attempt of this process as it failed with `message`, and
    /// keeps the message for the `nodeRetrying` entry of a further attempt nobody reports.
    func submitAttemptFailure(_ failed: NodeAttemptRecord, message: String, to store: any RunStore) {
        state.withLock { state in
            guard state.records(failed.nodeID), state.started[failed.nodeID]?.finished != true else { return }
            if state.started[failed.nodeID]?.attempt == failed.attempt { state.started[failed.nodeID]?.failure = message }
            store.submit([.attempt(failed)])
        }
    }

    /// Submits the `nodeRetrying` entry that ends `node`'s latest attempt of this process, failed
    /// with `error` at `date` and due again after `delay`; only once per attempt, as the node
    /// reports it in its live events, and not before an attempt of this process started.
    func submitRetrying(of node: String, after error: any Error, delay: Duration, at date: Date, to store: any RunStore) {
        // Described before the lock is taken: a description is the error type's own code.
        let (message, type) = ("\(error)", errorTypeName(of: error))
        state.withLock { state in
            guard state.records(node), let start = state.started[node], !start.ended, !start.finished else { return }
            state.started[node]?.ended = true
            defer { state.nextSequence += 1 }
            let entry = RunEventRecord(
                runID: id, sequence: state.nextSequence, date: date, kind: "nodeRetrying", nodeID: node,
                details: ["attempt": .integer(start.attempt), "delay": .double(delay.seconds), "error": .string(message)])
            store.submit([
                .attempt(
                    NodeAttemptRecord(
                        runID: id, nodeID: node, attempt: start.attempt, status: .failed, startedAt: start.date, endedAt: date,
                        errorType: type, error: message, nextAttemptAt: date.addingTimeInterval(delay.seconds),
                        endEvent: entry))
            ])
        }
    }

    /// Records that the instance stopped `node` (at its deadline, or as it was cancelled): the end of
    /// its latest attempt of this process, if one runs, as `nodeCancelled` with the stop's message,
    /// or else a `nodeCancelled` entry alone; the live instance of a child run it was running is
    /// cancelled. What the node's abandoned code reports later is not recorded.
    func submitStopped(_ node: String, _ stopped: StoppedNode, to store: any RunStore) {
        let now = Date()
        let message = stopped.message
        // Here, not when the node's task sees its cancel: that task may get there only after the
        // run's end, and the child must not go on running past it.
        let liveChild = state.withLock { state -> InstanceControl? in
            guard state.records(node) else { return nil }
            guard stopped == .running else {
                submitNodeCancelled(node, at: now, to: store, in: &state)
                return nil
            }
            let liveChild = state.liveChildren.removeValue(forKey: node)
            if state.started[node] == nil {
                submitNodeCancelled(node, at: now, to: store, in: &state)
            } else {
                submitAttemptEnd(
                    of: node, started: now, kind: "nodeCancelled", at: now, to: store, in: &state,
                    details: { _ in ["error": .string(message)] },
                    end: { attempt in
                        attempt.status = .cancelled
                        attempt.endedAt = now
                        attempt.errorType = "CancellationError"
                        attempt.error = message
                    })
            }
            // Only now: the attempt's end above is one of the node's records still.
            state.stopped.insert(node)
            return liveChild
        }
        liveChild?.cancel()
    }

    private func submitNodeCancelled(_ node: String, at date: Date, to store: any RunStore, in state: inout State) {
        let entry = RunEventRecord(runID: id, sequence: state.nextSequence, date: date, kind: "nodeCancelled", nodeID: node)
        state.nextSequence += 1
        store.submit([.event(entry)])
    }

    /// Lets stopping `node` cancel the live instance `control` of its child run; returns `false`,
    /// keeping nothing, when the node was stopped already, and the caller cancels the child itself.
    func follow(liveChild control: InstanceControl, of node: String) -> Bool {
        state.withLock { state in
            guard !state.stopped.contains(node) else { return false }
            state.liveChildren[node] = control
            return true
        }
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

    /// The write that ends `child`, the child run of `node`, as cancelled because this run stopped waiting for it.
    func abandoned(_ child: RunID, by node: String) -> StoreWrite {
        .status(child, .cancelled, error: "cancelled because node \(node) of its parent run \(id) stopped waiting for it", errorType: "ParentStopped")
    }
}
