import Foundation

/// Durable runs: starting with an idempotency key, and resuming runs after a crash.
extension WorkflowRuntime {
    /// The store this runtime records its runs in, if it has one.
    public var store: (any RunStore)? { journal?.store }

    /// Starts a durable run, unless a run with `idempotencyKey` exists: then returns that run, with
    /// a handle when it runs in this runtime (`nil` when it ended or another process owns it).
    public func start(
        _ workflow: PreparedWorkflow, input: JSONValue = .null, metadata: [String: String] = [:], idempotencyKey: String
    ) async throws -> (run: RunRecord, handle: WorkflowHandle?) {
        let journal = try requireJournal()
        guard let workflow = workflow.durable, let definition = workflow.definitionRecord else { throw Self.notPreparedHere }
        let record = journal.newRun(of: workflow, input: input, metadata: metadata, idempotencyKey: idempotencyKey)
        let stored = try await journal.store.insert(record, definition: definition)
        guard stored.id == record.id else {
            let handle = journal.instance(running: stored.id).flatMap(instance(_:))
            return (stored, handle)
        }
        let handle = launch(workflow, input: input, metadata: metadata, run: JournaledRun(id: record.id, nodeCount: record.nodeCount)) { run, _ in
            run.submit(to: journal.store, entry: "runStarted", details: ["workflow": .string(record.workflowID)])
        }
        return (stored, handle)
    }

    /// Resumes every run of the store found `running` whose owner is gone (a process that crashed
    /// or closed the store): its completed nodes keep their outputs and do not run again, the others
    /// run (again) with the next attempt numbers, and its deadline stays where it was. A run that was
    /// resumed more than `maximumRecoveryAttempts` times fails (`RecoveryLimit`); one whose
    /// definition or components no longer resolve the same is marked `blocked` with the reason.
    /// Returns the handles of the runs it resumed. Paused runs stay paused.
    public func recover(maximumRecoveryAttempts: Int = 5) async throws -> [WorkflowHandle] {
        let journal = try requireJournal()
        let claimed = try await journal.store.claimOrphanedRuns(nil)
        // Every run is read and made ready before any starts: runs started early would take the
        // cores the reading of the others needs (10,000 runs took 1.5 s that way, 0.6 s this way).
        // The runs are read in a lane per core, each on a reader connection of its own.
        let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, claimed.count))
        let read = await withTaskGroup(of: (ready: [(index: Int, run: ResumableRun)], failure: (any Error)?).self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var prepared: [String: PreparedWorkflow] = [:]
                    var ready: [(index: Int, run: ResumableRun)] = []
                    for index in stride(from: lane, to: claimed.count, by: lanes) {
                        do {
                            if let resumable = try await self.resumeClaimed(
                                claimed[index], journal: journal, maximumRecoveryAttempts: maximumRecoveryAttempts, acceptingVersions: false,
                                prepared: &prepared)
                            {
                                ready.append((index, resumable))
                            }
                        } catch {
                            return (ready, error)
                        }
                    }
                    return (ready, nil)
                }
            }
            var all: (ready: [(index: Int, run: ResumableRun)], failure: (any Error)?) = ([], nil)
            for await lane in group {
                all.ready += lane.ready
                all.failure = all.failure ?? lane.failure
            }
            return all
        }
        let handles = read.ready.sorted { $0.index < $1.index }.map { launch($0.run, journal: journal) }
        // The runs already claimed and read still run: a failure to read one leaves no other waiting for a restart.
        if let failure = read.failure { throw failure }
        return handles
    }

    /// Resumes one run: a `running` one whose owner is gone, a `paused` or `blocked` one, or, with
    /// `fromFailed`, a failed one from its failed nodes (its completed ones kept). With
    /// `acceptingVersions`, a run whose components changed runs on the current ones.
    public func resume(_ id: RunID, acceptingVersions: Bool = false, fromFailed: Bool = false) async throws -> WorkflowHandle {
        try await resume(id, acceptingVersions: acceptingVersions, fromFailed: fromFailed, following: nil)
    }

    /// ``resume(_:acceptingVersions:fromFailed:)``, handing the instance's control to `following`
    /// before it runs a node; one that returns `false` (the parent stopped waiting) cancels it.
    func resume(
        _ id: RunID, acceptingVersions: Bool = false, fromFailed: Bool = false, following: (@Sendable (InstanceControl) -> Bool)?
    ) async throws -> WorkflowHandle {
        let journal = try requireJournal()
        guard let run = try await journal.store.run(id) else {
            throw StoreError(type: "UnknownRun", message: "no run \(id) in the store")
        }
        var resumable: Set<RunStatus> = [.running, .paused, .blocked]
        if fromFailed { resumable.formUnion([.failed, .cancelled, .timedOut]) }
        guard resumable.contains(run.status) else {
            throw StoreError(
                type: "NotResumable",
                message: "run \(id) is \(run.status.rawValue)" + (run.status == .failed ? "; --from-failed re-runs its failed nodes" : ""))
        }
        // A child runs only for its parent's `workflow` node, which resumes it by re-attaching.
        if let parentID = run.parentRunID, let parent = try await journal.store.run(parentID), parent.status.isTerminal {
            _ = try await journal.store.cancelUnfinishedChildren(of: parentID, endedAs: parent.status)
            throw StoreError(
                type: "NotResumable",
                message: "run \(id) is a child run of \(parentID), which ended \(parent.status.rawValue); it ends with its parent"
                    + (parent.status == .completed ? "" : " (troupe resume \(parentID) --from-failed re-runs the parent's unfinished nodes)"))
        }
        if run.status != .running {
            try await journal.store.commit([.status(id, .running)])
        }
        let claimed: RunRecord
        if run.owner == journal.store.owner, journal.instance(running: id) == nil, let own = try await journal.store.run(id) {
            // This store holds it already and nothing runs it here (this runtime blocked it, say).
            claimed = own
        } else if let orphan = try await journal.store.claimOrphanedRuns([id]).first {
            claimed = orphan
        } else {
            throw StoreError(type: "Owned", message: "run \(id) is owned by a live process (\(run.owner ?? "unknown")); ask it with troupe pause or cancel")
        }
        var prepared: [String: PreparedWorkflow] = [:]
        guard
            let resumable = try await resumeClaimed(
                claimed, journal: journal, maximumRecoveryAttempts: .max, acceptingVersions: acceptingVersions, prepared: &prepared)
        else {
            let after = try await journal.store.run(id)
            throw StoreError(type: "Blocked", message: "run \(id) cannot resume: \(after?.error ?? "blocked")")
        }
        return launch(resumable, journal: journal, following: following)
    }

    /// Starts a resumed run's instance; its history first records that it resumed.
    private func launch(_ resumable: ResumableRun, journal: RunJournal, following: (@Sendable (InstanceControl) -> Bool)? = nil) -> WorkflowHandle {
        let record = resumable.record
        return launch(resumable.workflow, input: record.input, metadata: record.metadata, run: resumable.run, restored: resumable.restored) {
            run, control in
            if let following, !following(control) { control.cancel() }
            run.submit(to: journal.store, entry: "runResumed", details: ["recoveryAttempt": .integer(record.recoveryAttempts)])
        }
    }

    /// Reads a claimed run back, its completed nodes to restore, ready to start; ends it `blocked`
    /// or `failed` instead, returning `nil`, when it must not run.
    private func resumeClaimed(
        _ run: RunRecord, journal: RunJournal, maximumRecoveryAttempts: Int, acceptingVersions: Bool, prepared: inout [String: PreparedWorkflow]
    ) async throws -> ResumableRun? {
        let store = journal.store
        if run.recoveryAttempts > maximumRecoveryAttempts {
            try await store.commit([
                .status(
                    run.id, .failed,
                    error: "resumed \(run.recoveryAttempts - 1) times without ending (the limit is \(maximumRecoveryAttempts)); is it crashing the process?",
                    errorType: "RecoveryLimit")
            ])
            _ = try await store.cancelUnfinishedChildren(of: run.id, endedAs: .failed)
            return nil
        }
        func block(_ reason: String) async throws -> ResumableRun? {
            try await store.commit([.status(run.id, .blocked, error: reason, errorType: "Blocked")])
            return nil
        }
        let workflow: PreparedWorkflow
        if let cached = prepared[run.definitionHash] {
            workflow = cached
        } else {
            guard let definition = try await store.definition(run.definitionHash) else {
                return try await block("its definition \(run.definitionHash) is not in the store")
            }
            do {
                workflow = try self.prepare(try WorkflowDefinition(json: definition.json))
            } catch {
                return try await block("its definition no longer prepares: \(error)")
            }
            let differences = ResolvedComponents.differences(
                recorded: definition.components, current: workflow.durable?.definitionRecord?.components ?? [])
            if !differences.isEmpty && !acceptingVersions {
                return try await block(
                    "its components changed (resume with --accept-versions to run on the current ones): " + differences.joined(separator: "; "))
            }
            prepared[run.definitionHash] = workflow
        }
        var toRun = workflow
        if let deadline = run.deadline {
            // The deadline is absolute: what is left of it, or at once a moment.
            var definition = workflow.definition
            definition.deadline = .milliseconds(max(1, Int64(deadline.timeIntervalSinceNow * 1000)))
            toRun = try self.prepare(definition)
        }
        guard let durable = toRun.durable else { throw Self.notPreparedHere }
        let attempts = try await store.attempts(of: run.id)
        var latest: [String: Int] = [:]
        var completed: [String: NodeAttemptRecord] = [:]
        var latestRecords: [String: NodeAttemptRecord] = [:]
        for attempt in attempts {
            latest[attempt.nodeID] = max(latest[attempt.nodeID] ?? 0, attempt.attempt)
            if attempt.status == .completed { completed[attempt.nodeID] = attempt }
            if attempt.attempt >= latestRecords[attempt.nodeID]?.attempt ?? 0 { latestRecords[attempt.nodeID] = attempt }
        }
        // A node caught waiting to retry, or sleeping, goes on from its stored due time.
        var backOffs: [String: Date] = [:]
        var wakes: [String: Date] = [:]
        for (node, attempt) in latestRecords where completed[node] == nil {
            guard let due = attempt.nextAttemptAt else { continue }
            if attempt.status == .running { wakes[node] = due } else { backOffs[node] = due }
        }
        var restored: [Int: NodeReport] = [:]
        for (index, node) in durable.plan.nodeIDs.enumerated() {
            guard let attempt = completed[node] else { continue }
            restored[index] = NodeReport(status: .completed, output: attempt.output, attempts: attempt.attempt)
        }
        // Runs control: signals no restored `wait` node took are delivered again.
        try await replaySignals(of: run, workflow: durable, restored: restored)
        // The history is read only when someone subscribes to the handle's events. The run goes on
        // after its highest entry: from 0 when it has none (a crash before its first entry was
        // committed), and after a history stored from 1 (before histories were numbered from 0) all the same.
        let history = StoredHistory(store: store, runID: run.id, workflowID: run.workflowID, lastSequence: run.lastEventSequence)
        let journaled = JournaledRun(
            id: run.id, nextSequence: run.lastEventSequence + 1, attempts: latest, history: history, backOffs: backOffs, wakes: wakes)
        return ResumableRun(record: run, workflow: durable, run: journaled, restored: restored)
    }

    private func requireJournal() throws -> RunJournal {
        guard let journal else { throw StoreError(type: "NoStore", message: "this runtime has no store (WorkflowRuntime(store:))") }
        return journal
    }

    private static var notPreparedHere: StoreError {
        StoreError(type: "NoStore", message: "the workflow was prepared by a runtime without a store; prepare it with this one")
    }
}
