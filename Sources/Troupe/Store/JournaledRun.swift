import Foundation

/// One durable run as its journal follows it in this process: its id, the next history sequence
/// number, each node's latest attempt (numbered on from those a crashed process recorded), and
/// a store failure that fails every node still to run.
final class JournaledRun: Sendable {
    let id: RunID
    /// `RUN/`, from which each of its nodes' idempotency keys is made with one allocation, not two.
    private let keyPrefix: String
    /// The metadata of a call that inherits none, the run's id alone: each node's call copies it and adds its key.
    private let runMetadata: [String: String]
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
        /// The child runs that `workflow` nodes' executors wait for, from their ``attach(child:to:attempt:waiting:)``
        /// until ``stopWaiting(for:)``: each with its node and, once it runs here, its live instance.
        var waitedChildren: [RunID: (node: String, control: InstanceControl?)] = [:]
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
    /// due to, `wakes` when each sleeping `sleep` node wakes; `nodeCount` is how many nodes the run has.
    init(
        id: RunID, nextSequence: Int = 0, attempts: [String: Int] = [:], history: StoredHistory? = nil, backOffs: [String: Date] = [:],
        wakes: [String: Date] = [:], nodeCount: Int = 0
    ) {
        self.id = id
        keyPrefix = id.rawValue + "/"
        var metadata = [String: String](minimumCapacity: 2)
        metadata[RunJournal.runIDKey] = id.rawValue
        runMetadata = metadata
        self.history = history
        bases = attempts
        // Each node's latest attempt goes in `started` as it starts: room for all of them from the start, not regrown as they come.
        state = LockedValue(
            State(nextSequence: nextSequence, started: [String: Start](minimumCapacity: nodeCount), backOffs: backOffs, wakes: wakes))
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

    /// Submits the run's `runEnded` entry, `writes` made of it; nothing is recorded after it. The
    /// child runs still waited for (their nodes stopped at the deadline, or timed out and abandoned)
    /// go with it as ``abandoned(_:by:)``, and their live instances are cancelled.
    ///
    /// `handing` takes the writes in place of a store's `submit`, under the run's lock, once at most.
    func submitEnd(status: RunStatus, _ writes: (RunEventRecord) -> [StoreWrite], handing submit: ([StoreWrite]) -> Void) {
        // In the end's batch, not when their nodes' tasks see their cancel: those may get there only
        // after the end is committed. A child inserted after it is refused (``RunStore/insert(_:definition:)``).
        let children = state.withLock { state -> [InstanceControl] in
            guard !state.ended else { return [] }
            state.ended = true
            let entry = RunEventRecord(
                runID: id, sequence: state.nextSequence, date: Date(), kind: "runEnded", details: ["status": .string(status.rawValue)])
            state.nextSequence += 1
            // Most runs end with no child waited for: no copy of their end's writes.
            guard !state.waitedChildren.isEmpty else {
                submit(writes(entry))
                return []
            }
            let waited = state.waitedChildren
            state.waitedChildren = [:]
            submit(waited.map { abandoned($0.key, by: $0.value.node) } + writes(entry))
            return waited.values.compactMap(\.control)
        }
        for child in children { child.cancel() }
    }

    /// Submits `node`'s attempt `attempt` of this process as it starts, with its `nodeStarted`
    /// entry, stored number and start time, kept as the node's latest; returns it.
    ///
    /// A latest attempt that no reported retry ended (an interceptor called the chain again without
    /// ``NodeContext/retrying(afterAttempt:delay:error:)``) first gets its `nodeRetrying` entry, with
    /// no delay, as the node's live events show it.
    ///
    /// A further attempt in this process is numbered after the latest, whatever number its call
    /// carries: an interceptor that calls the chain again passes the call it was given.
    func submitAttemptStart(of node: String, attempt: Int, to journal: RunJournal) -> NodeAttemptStart {
        let store = journal.store
        return state.withLock { state in
            let previous = state.started[node]
            let number = previous.map { $0.attempt + 1 } ?? (bases[node] ?? 0) + attempt
            // A stopped or ended node's abandoned code that calls its chain again starts nothing on record.
            guard state.records(node), previous?.finished != true else {
                return NodeAttemptStart(runID: id, nodeID: node, attempt: number, startedAt: Date(), sequence: state.nextSequence)
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
            if !state.childRuns.isEmpty { state.childRuns[node] = nil }
            let started = self.start(of: node, start)
            // The SQLite store takes a start as it is: no arrays of one write made and converted for it.
            if let groupCommit = journal.groupCommit { groupCommit.submit(start: started) } else { store.submit([.attemptStart(started)]) }
            return started
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
        submitAttemptEnd(of: node, started: started, kind: kind, at: date, details: details, end: end) { store.submit($0) }
    }

    /// Makes the writes of ``submitAttemptEnd(of:started:kind:at:to:details:end:)`` and hands them
    /// to `handing` in place of a store's `submit`, still under the run's lock.
    func submitAttemptEnd(
        of node: String, started: Date, kind: String, at date: Date, details: (_ attempt: Int) -> JSONValue,
        end: (inout NodeAttemptRecord) -> Void, handing: ([StoreWrite]) -> Void
    ) {
        state.withLock { state in
            submitAttemptEnd(of: node, started: started, kind: kind, at: date, in: &state, details: details, end: end, handing: handing)
        }
    }

    private func submitAttemptEnd(
        of node: String, started: Date, kind: String, at date: Date, in state: inout State, details: (_ attempt: Int) -> JSONValue,
        end: (inout NodeAttemptRecord) -> Void, handing submit: ([StoreWrite]) -> Void
    ) {
        guard state.records(node) else { return }
        let slot = state.started.index(forKey: node)
        let start = slot.map { state.started.values[$0] }
        if let slot {
            guard !state.started.values[slot].finished else { return }
            state.started.values[slot].finished = true
        }
        defer { state.nextSequence += 1 }
        var latest =
            start.map { self.start(of: node, $0).record }
            ?? NodeAttemptRecord(runID: id, nodeID: node, attempt: max(1, bases[node] ?? 1), status: .running, startedAt: started)
        latest.childRunID = state.childRuns.isEmpty ? nil : state.childRuns[node]
        let entry = RunEventRecord(runID: id, sequence: state.nextSequence, date: date, kind: kind, nodeID: node, details: details(latest.attempt))
        end(&latest)
        if let start, !start.ended {
            latest.endEvent = entry
            submit([.attempt(latest)])
        } else {
            submit([.attempt(latest), .event(entry)])
        }
    }

    /// Hands over `node`'s latest attempt as it completed with `output` at `date`, as
    /// ``submitAttemptEnd(of:started:kind:at:details:end:handing:)`` would with its `nodeCompleted`
    /// entry: as one ``NodeAttemptCompletion`` when this process started the attempt, nothing
    /// ended it and it started no child run, as nearly every node's; as writes otherwise.
    func submitCompletion(of node: String, started: Date, at date: Date, output: JSONValue, handing: (JournalWrite) -> Void) {
        state.withLock { state in
            if state.records(node), let slot = state.started.index(forKey: node), !state.started.values[slot].finished,
                !state.started.values[slot].ended, state.childRuns.isEmpty || state.childRuns[node] == nil
            {
                state.started.values[slot].finished = true
                defer { state.nextSequence += 1 }
                let start = self.start(of: node, state.started.values[slot])
                handing(.completion(NodeAttemptCompletion(start: start, endedAt: date, output: output, sequence: state.nextSequence)))
                return
            }
            submitAttemptEnd(
                of: node, started: started, kind: "nodeCompleted", at: date, in: &state, details: NodeAttemptStart.details,
                end: { attempt in
                    attempt.status = .completed
                    attempt.endedAt = date
                    attempt.output = output
                }, handing: { handing(.writes($0)) })
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
    /// or else a `nodeCancelled` entry alone. What the node's abandoned code reports later is not recorded.
    func submitStopped(_ node: String, _ stopped: StoppedNode, to store: any RunStore) {
        let now = Date()
        let message = stopped.message
        state.withLock { state in
            guard state.records(node) else { return }
            defer { if stopped == .running { state.stopped.insert(node) } }
            guard stopped == .running, state.started[node] != nil else {
                let entry = RunEventRecord(runID: id, sequence: state.nextSequence, date: now, kind: "nodeCancelled", nodeID: node)
                state.nextSequence += 1
                store.submit([.event(entry)])
                return
            }
            submitAttemptEnd(
                of: node, started: now, kind: "nodeCancelled", at: now, in: &state, details: { _ in ["error": .string(message)] },
                end: { attempt in
                    attempt.status = .cancelled
                    attempt.endedAt = now
                    attempt.errorType = "CancellationError"
                    attempt.error = message
                }, handing: { store.submit($0) })
        }
    }

    /// What an attempt's start recorded.
    private func start(of node: String, _ start: Start) -> NodeAttemptStart {
        NodeAttemptStart(runID: id, nodeID: node, attempt: start.attempt, startedAt: start.date, sequence: start.sequence)
    }

    /// `call` with the run's id and its idempotency key (``RunJournal/idempotencyKey``) in its
    /// metadata; inside a child run, the key extends the parent node's (``RunJournal/idempotencyKeyPrefix``).
    func keyed(_ call: NodeCall) -> NodeCall {
        var call = call
        guard !call.metadata.isEmpty else {
            // Nearly every call inherits no metadata: no parent node's key to extend, and the run's id entry is made once per run.
            var metadata = runMetadata
            metadata[RunJournal.idempotencyKey] = keyPrefix + call.nodeID
            call.metadata = metadata
            return call
        }
        call.metadata.reserveCapacity(call.metadata.count + 2)
        call.metadata[RunJournal.runIDKey] = id.rawValue
        call.metadata[RunJournal.idempotencyKey] = RunJournal.idempotencyKey(of: call) ?? keyPrefix + call.nodeID
        return call
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

    /// Records that `node`'s attempt `attempt` runs the child run `child`, which its executor, when
    /// `waiting`, now waits for until ``stopWaiting(for:)``; returns `false`, recording nothing,
    /// once that attempt is no longer the node's latest running one (the node was stopped, or it
    /// ended and another began) or this run has ended.
    func attach(child: RunID, to node: String, attempt: Int, waiting: Bool) -> Bool {
        state.withLock { state in
            guard state.records(node), let start = state.started[node], start.attempt == attempt, !start.finished else { return false }
            state.childRuns[node] = child
            if waiting { state.waitedChildren[child] = (node, nil) }
            return true
        }
    }

    /// Whether an executor still waits for `child` (``attach(child:to:attempt:waiting:)``).
    func isWaiting(for child: RunID) -> Bool { state.withLock { $0.waitedChildren[child] != nil } }

    /// Lets this run's end cancel `control`, the live instance of the waited-for `child`; returns
    /// `false`, keeping nothing, when the run no longer waits for it: the caller cancels it.
    func follow(liveChild control: InstanceControl, of child: RunID) -> Bool {
        state.withLock { state in
            guard state.waitedChildren[child] != nil else { return false }
            state.waitedChildren[child]?.control = control
            return true
        }
    }

    /// Ends the wait for `child` that ``attach(child:to:attempt:waiting:)`` began: the executor returns.
    func stopWaiting(for child: RunID) { state.withLock { _ = $0.waitedChildren.removeValue(forKey: child) } }

    /// The child run of `node`'s latest attempt, if it is a `workflow` node that started one.
    func childRun(of node: String) -> RunID? { state.withLock { $0.childRuns[node] } }

    /// The write that ends `child`, the child run of `node`, as cancelled because this run stopped waiting for it.
    func abandoned(_ child: RunID, by node: String) -> StoreWrite {
        .status(child, .cancelled, error: "cancelled because node \(node) of its parent run \(id) stopped waiting for it", errorType: "ParentStopped")
    }
}
