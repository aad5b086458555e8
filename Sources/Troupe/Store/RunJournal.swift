import Foundation

/// The durable side of a ``WorkflowRuntime`` with a store: records its instances and keeps the
/// store's promise: a node is
/// reported completed (its event, the result, a successor's input) only after its completion is
/// committed, because ``JournalCompletionLink`` awaits that commit before the node's pipeline returns.
///
/// Every other record (a run's start, an attempt starting or failing, history entries) is
/// submitted without waiting and goes with the next commit: losing it in a crash only means the
/// node runs again, which at-least-once allows.
final class RunJournal: Sendable {
    /// Metadata key of every durable node call: `RUN/NODE`, stable across resumes, for deduplicating side effects.
    static let idempotencyKey = "troupe.idempotencyKey"
    /// Metadata key of every durable node call: the run's durable id.
    static let runIDKey = "troupe.runID"

    let store: any RunStore
    /// `store` when it is the SQLite store, whose writer a completion's end and wait are handed to in one step.
    let groupCommit: SQLiteRunStore?
    /// resume-rules (issue 11): the runtime's clock, on which a resumed node waits what is left of its back-off.
    let clock: any Clock<Duration>
    private let runs = LockedValue<[InstanceID: JournaledRun]>([:])
    /// Told as each durable instance ends (``whenRunEnds(_:)``).
    private let runEnded = LockedValue<(@Sendable () -> Void)?>(nil)

    init(store: any RunStore, clock: any Clock<Duration>) {
        self.store = store
        groupCommit = store as? SQLiteRunStore
        self.clock = clock
    }

    /// A durable run's pipeline for one node: `interceptors` (outermost first) between the journal's
    /// completion link, outermost, and its attempt link, just before the executor. Never inline: the
    /// completion commit suspends.
    /// A `wait` or `sleep` node with no interceptors keeps `parking`: its instance may park there,
    /// the journal recording it as the links would (RunJournal+ParkedWaits.swift). So does a node
    /// whose outermost interceptor is the runtime's retry, its attempts then running the chain inside
    /// the retry down to the attempt link (``JournaledRetries``).
    func pipeline(
        around interceptors: [any NodeInterceptor], executor: any NodeExecutor, kind: String, config: JSONValue, parking: NodeParking?
    ) -> NodePipeline {
        let innermost: any NodeHandler = JournalAttemptLink(journal: self, next: ExecutorHandler(executor: executor))
        let link = { (next: any NodeHandler, interceptor: any NodeInterceptor) -> any NodeHandler in
            NodeInterceptorLink(interceptor: interceptor, next: next)
        }
        let chain = interceptors.reversed().reduce(innermost, link)
        var waits: NodeParking?
        switch parking {
        case .signal, .sleep: if interceptors.isEmpty { waits = parking }
        case .backOff(let retry, _): waits = .backOff(retry, attempt: interceptors.dropFirst().reversed().reduce(innermost, link))
        case nil: break
        }
        // A host closure with nothing around it is awaited directly (RunJournal+DirectCalls.swift).
        let body = interceptors.isEmpty ? (executor as? ClosureExecutor).map { self.directBody(around: $0.body) } : nil
        return NodePipeline(
            handler: JournalCompletionLink(journal: self, next: chain), kind: kind, config: config, runsInline: false, body: body, parking: waits)
    }

    /// The idempotency key of `call`: its own, or, inside a child workflow, the parent node's key
    /// and the node's id (`RUN/NODE/CHILDNODE`), stable across resumes too.
    static func idempotencyKey(of call: NodeCall) -> String? {
        call.metadata[idempotencyKey] ?? call.metadata[idempotencyKeyPrefix].map { "\($0)/\(call.nodeID)" }
    }

    /// Metadata key of the calls inside a child workflow of a durable node: the parent node's key.
    static let idempotencyKeyPrefix = "troupe.idempotencyKeyPrefix"

    /// The durable run an instance is, if it is one.
    func run(of instance: InstanceID) -> JournaledRun? { runs.withLock { $0[instance] } }

    /// Follows `instance` as `run` from now on.
    func follow(_ instance: InstanceID, as run: JournaledRun) {
        runs.withLock { $0[instance] = run }
    }

    /// The record of a new run of `workflow` about to start.
    func newRun(of workflow: PreparedWorkflow, input: JSONValue, metadata: [String: String], idempotencyKey: String?) -> RunRecord {
        let now = Date()
        let deadline = workflow.definition.deadline.map { now.addingTimeInterval($0.seconds) }
        return RunRecord(
            id: RunID(date: now), workflowID: workflow.definition.id, workflowVersion: workflow.definition.version,
            definitionHash: workflow.definitionRecord?.hash ?? "", input: input, metadata: metadata, idempotencyKey: idempotencyKey,
            createdAt: now, deadline: deadline, nodeCount: workflow.definition.nodes.count)
    }

    /// Inserts a new run (the definition with it) before its instance runs nodes; a failure is
    /// kept so that every node fails with it.
    func open(_ record: RunRecord, of workflow: PreparedWorkflow, as run: JournaledRun) async {
        guard let definition = workflow.definitionRecord else { return }
        do {
            _ = try await store.insert(record, definition: definition)
            run.submit(to: store, entry: "runStarted", details: ["workflow": .string(record.workflowID)])
        } catch {
            run.failure = Self.storeError(error)
        }
    }

    /// Records a history entry of `instance`'s, `kind` of `node`, with the next commit.
    func record(_ kind: String, node: String, details: JSONValue = .null, of instance: InstanceID) {
        run(of: instance)?.submit(to: store, entry: kind, node: node, details: details)
    }

    /// Records that `instance` stopped `node`, which was running (its attempt then ends
    /// `cancelled`) or had not started, with the next commit.
    func stopped(_ node: String, _ stopped: StoppedNode, of instance: InstanceID) {
        run(of: instance)?.submitStopped(node, stopped, to: store)
    }

    /// Records a pause or a resume of a running instance, with the next commit.
    func statusChanged(_ instance: InstanceID, to status: RunStatus) {
        guard let run = run(of: instance) else { return }
        run.submit(to: store, entry: status == .paused ? "paused" : "resumed") { [.event($0), .status(run.id, status)] }
    }

    /// The instance that runs `id` in this process, if one does.
    func instance(running id: RunID) -> InstanceID? {
        runs.withLock { runs in runs.first { $0.value.id == id }?.key }
    }

    /// Tells `hook` as each durable instance ends, whichever task ends it (a parked one ends in the task its signal started).
    func whenRunEnds(_ hook: @escaping @Sendable () -> Void) {
        runEnded.withLock { $0 = hook }
    }

    /// Records how the instance ended, committed before its result is handed to anyone.
    func instanceEnded(_ instance: InstanceID, result: WorkflowResult) async {
        defer { runEnded.load()?() }
        guard let run = runs.withLock({ $0.removeValue(forKey: instance) }) else { return }
        // Room for every node from the start: grown as it fills, it was rehashed three times for a chain10.
        var outputs = [String: JSONValue](minimumCapacity: result.nodes.count)
        for (id, report) in result.nodes where report.status == .completed { outputs[id] = report.output ?? .null }
        let status = RunStatus(result.status)
        do {
            let end = StoreWrite.status(run.id, status, output: .object(outputs), error: result.error, errorType: result.errorType)
            try await commit { hand in run.submitEnd(status: status, { [.event($0), end] }, handing: { hand(.writes($0)) }) }
        } catch {
            // The run stays `running` in the store and is resumed by the next recovery, which
            // finds its completed nodes and ends it the same way.
            run.failure = Self.storeError(error)
        }
    }

    /// Commits what `submitting` hands over (to the closure it is given, once at most, under a lock
    /// of its own if it likes) and everything submitted before it; returns once that is durable.
    ///
    /// To a busy SQLite writer the writes and the wait go as one job (``SQLiteRunStore/submit(_:resumingOnCommit:)``):
    /// one job and one turn of the writer's lock fewer per durable node than a submit, then an empty commit.
    func commit(submitting: (_ hand: (JournalWrite) -> Void) -> Void) async throws {
        if let groupCommit {
            var committed = false
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                var handed = false
                submitting { write in
                    guard !handed else { return groupCommit.submit(write) }
                    handed = true
                    committed = groupCommit.submit(write, resumingOnCommit: waiter)
                }
                // Nothing handed over (the node was stopped first): what was submitted before is still committed below.
                if !handed { waiter.resume() }
            }
            if committed { return }
        } else {
            submitting { store.submit($0.storeWrites) }
        }
        // Writes commit in order: once this returns, what was submitted above is durable.
        try await store.commit([])
    }

    static func storeError(_ error: any Error) -> StoreError {
        error as? StoreError ?? StoreError(type: "IOError", message: "\(error)")
    }
}
