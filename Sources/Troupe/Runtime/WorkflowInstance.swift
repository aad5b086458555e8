/// One running instance of a workflow: schedules its node actors by the workflow's strategy
/// and owns the instance's status, enforcing its state machine.
///
/// It is the `WorkflowContext` of its workflow interceptor chain. Whatever that chain returns,
/// the instance ends in a terminal status: a result it cannot end with fails it with a message.
///
/// The stored properties the scheduler reads and writes for every node are `@exclusivity(unchecked)`.
/// That is sound because no access to one of them stays open across an `await` (where another task
/// may run on the actor) or while code that could reach the same property runs: each is read or
/// written in one step, and the only `inout` use, `swap` of a report in ``complete(_:)``, swaps with
/// a local. Keep to that rule: the runtime's dynamic exclusivity check, which cost about an eighth
/// of a node call (`troupe-bench --only interceptors`), no longer catches a break of it.
actor WorkflowInstance: WorkflowContext, ParkedWait {
    nonisolated let id: InstanceID
    nonisolated let log: EventLog
    nonisolated let control: InstanceControl
    /// The signals for its `wait` nodes; `nil` when it has none.
    nonisolated let signals: SignalMailbox?
    // The one-byte fields next, side by side in the padding after the mailbox's tag: each between
    // wider fields would take eight bytes.
    @exclusivity(unchecked) private var status: InstanceStatus = .pending
    /// Whether the instance may park at a node that waits (see ``run(unlistingFrom:)``).
    private var mayPark = false
    @exclusivity(unchecked) private var followsSuccessors = true
    /// Set when the result is made; work abandoned at the deadline that returns later changes nothing.
    @exclusivity(unchecked) private var ended = false
    /// The priority of the task that made the instance, which the task going on after a parked
    /// wait runs at, rather than the signaller's.
    private nonisolated let priority = Task.currentPriority
    /// How deep in `workflow` nodes the instance runs (``ChildWorkflowExecutor/depth``), which the
    /// detached task going on after a parked wait sets again; beside the priority, in its padding.
    private nonisolated let nestingDepth = UInt8(clamping: ChildWorkflowExecutor.depth)
    private let signalBoard: SignalBoard
    private let workflow: PreparedWorkflow
    /// The runtime's clock, which all its instances share (a pointer here instead of an existential),
    /// with the timers that wake an instance parked for a time.
    private let clock: RuntimeClock
    private var input: JSONValue
    private var metadata: [String: String]
    /// Each node's actor, made when the node is first run, skipped or stopped (``node(_:)``) and let
    /// go once its end is recorded: an instance holds actors only for the nodes under way, which is
    /// what a parked or suspended instance's memory is mostly made of.
    @exclusivity(unchecked) private var nodes: [NodeActor?]
    /// The reports of nodes a resumed run completed before, and each node's attempts earlier
    /// processes made, by index, for the node actors made later; `nil` for a new run.
    private let resumed: HeapBox<(restored: [Int: NodeReport], attemptBases: [Int])>?
    /// Each node's report, by index (the index is the place, so no outcome's index is kept); pending
    /// until it ends, and then carrying the reason it is to be skipped for once one is known (its
    /// upstream failed, or an edge's condition is false).
    @exclusivity(unchecked) private var reports: [NodeReport]
    @exclusivity(unchecked) private var remainingPredecessors: [Int32]
    @exclusivity(unchecked) private var ready: [Int] = []
    @exclusivity(unchecked) private var readyCursor = 0
    /// The next node of a sequential workflow, kept so that a parked instance goes on from there.
    @exclusivity(unchecked) private var sequentialPosition = 0
    @exclusivity(unchecked) private var parking = Parking.none
    /// The runtime's list of started instances, which the instance leaves once it has ended, by
    /// whichever task ends it. The list itself, not a closure over it: one allocation fewer per instance.
    private var listing: LockedValue<StartedInstances>?
    private let started = ContinuousClock.now
    /// Records how a durable run's instance ends; `nil` for an in-memory one.
    nonisolated let journal: RunJournal?

    /// `restored` holds, by index, the nodes a resumed run completed before: they are not run again and keep their outputs;
    /// its events are numbered from `firstEventSequence`, the one after a resumed run's stored history, and
    /// its nodes' attempts from `attemptBases` (by index), those earlier processes recorded.
    /// Without `hasHandle` nobody can subscribe to its events, so they are not kept.
    init(
        id: InstanceID, workflow: PreparedWorkflow, input: JSONValue, metadata: [String: String], clock: RuntimeClock, hub: EventHub,
        signals board: SignalBoard, journal: RunJournal? = nil, restored: [Int: NodeReport] = [:], firstEventSequence: Int = 0,
        attemptBases: [Int] = [], hasHandle: Bool = true
    ) {
        self.journal = journal
        self.id = id
        self.workflow = workflow
        self.input = input
        self.metadata = metadata
        self.clock = clock
        let log = EventLog(
            instanceID: id, plan: workflow.plan, hub: hub, keepsHistory: hasHandle, firstSequence: firstEventSequence)
        self.log = log
        self.control = InstanceControl()
        let plan = workflow.plan
        nodes = Array(repeating: nil, count: plan.nodeIDs.count)
        resumed = restored.isEmpty && attemptBases.isEmpty ? nil : HeapBox((restored, attemptBases))
        reports = Array(repeating: NodeReport(status: .pending), count: plan.nodeIDs.count)
        remainingPredecessors = plan.predecessorCounts
        signalBoard = board
        if workflow.signalByNode.isEmpty {
            signals = nil
        } else {
            let mailbox = SignalMailbox(
                signalByNode: workflow.signalByNode, openNodes: workflow.waitNodeCounts, waitingOnce: workflow.waitingOnceNodes, log: log)
            board.add(mailbox, for: id)
            signals = mailbox
        }
    }

    var currentStatus: InstanceStatus { status }

    /// The indices of the nodes whose actors the instance holds now (for tests).
    var heldNodeActors: [Int] { nodes.indices.filter { nodes[$0] != nil } }

    /// Whether the instance holds the list for its node actors (for tests).
    var holdsNodeActorList: Bool { !nodes.isEmpty }

    /// The actor of the node at `index`, made on first use, and made again for a parked node whose wait ends.
    private func node(_ index: Int) -> NodeActor {
        // A parked instance holds no node actors, nor the list for them.
        if nodes.isEmpty { nodes = Array(repeating: nil, count: workflow.plan.nodeIDs.count) }
        if let node = nodes[index] { return node }
        guard resumed != nil || !parking.isNone else {
            // A new run's node that is not parked, the common case: none of the optional state
            // below, whose resilient and multi-payload enums cost a value-witness call each to test.
            let node = NodeActor(index: index, id: workflow.plan.nodeIDs[index], log: log)
            nodes[index] = node
            return node
        }
        // A new run has nothing restored: no key is hashed for it.
        let restored = resumed?.value.restored[index]
        let attemptBases = resumed?.value.attemptBases ?? []
        let node = NodeActor(
            index: index, id: workflow.plan.nodeIDs[index], log: log, restored: restored,
            attemptBase: index < attemptBases.count ? attemptBases[index] : 0, parkedSince: parking.since(ofNode: index))
        nodes[index] = node
        return node
    }

    nonisolated var instanceID: InstanceID { id }

    private func transition(to next: InstanceStatus) {
        precondition(status.canTransition(to: next), "illegal instance transition \(status) → \(next) for \(id)")
        status = next
    }

    /// Pauses a running instance, or one not started yet (it then pauses as it starts); returns whether it took effect.
    func pause() -> Bool {
        switch status {
        case .pending:
            return control.setPaused(true)
        case .running:
            transition(to: .paused)
            control.setPaused(true)
            log.append(.paused)
            // A paused run stays paused across restarts.
            journal?.statusChanged(id, to: .paused)
            return true
        default:
            return false
        }
    }

    /// Resumes a paused instance, or withdraws a pause requested before it started; returns whether it took effect.
    func resume() -> Bool {
        switch status {
        case .pending:
            return control.setPaused(false)
        case .paused:
            transition(to: .running)
            control.setPaused(false)
            log.append(.resumed)
            journal?.statusChanged(id, to: .running)
            return true
        default:
            return false
        }
    }

    // MARK: Running

    /// Runs the instance in the calling task until it ends and returns its result.
    func run() async -> WorkflowResult {
        await runUntilParked()!
    }

    /// Runs the instance in the calling task until it ends or parks, and leaves `list` once it has
    /// ended, whichever task ends it. It parks at a `wait` or `sleep` node that is the only node that
    /// can run (``NodePipeline/parking``) when nothing holds frames of its own around the nodes (no
    /// workflow interceptor, no deadline): the task ends, and the signal, the timeout or the wake-up
    /// starts another.
    func run(unlistingFrom list: LockedValue<StartedInstances>) async {
        listing = list
        // Levels are not resumable mid-level, so a parallel workflow waits in its task as before.
        if case .parallel = workflow.definition.strategy {
            mayPark = false
        } else {
            mayPark = workflow.workflowHandler == nil && workflow.definition.deadline == nil && workflow.hasParkingNodes
        }
        _ = await runUntilParked()
    }

    /// The result, or `nil` when the instance parked.
    private func runUntilParked() async -> WorkflowResult? {
        var result: WorkflowResult
        if control.stopReason != nil {
            // Cancelled (or the runtime shut down) before it started: nothing runs.
            await stopUnfinishedNodes()
            result = makeResult(failure: nil)
        } else {
            transition(to: .running)
            log.append(.instanceStarted)
            if control.isPaused {
                transition(to: .paused)
                log.append(.paused)
            }
            do {
                if let deadline = workflow.definition.deadline {
                    result = try await runWithDeadline(deadline)
                } else if mayPark {
                    if await runNodes() { return nil }
                    result = makeResult(failure: nil)
                } else {
                    result = try await runInterceptedNodes()
                }
            } catch {
                await stopUnfinishedNodes()
                result = makeResult(failure: error)
            }
        }
        return await end(with: result)
    }

    private func end(with result: WorkflowResult) async -> WorkflowResult {
        var result = result
        finish(&result)
        if let signals {
            signals.close()
            signalBoard.remove(id)
        }
        // The end is committed before anyone is handed the result.
        if let journal { await journal.instanceEnded(id, result: result) }
        control.finish(result)
        listing?.withLock { $0.remove(id) }
        listing = nil
        return result
    }

    /// Runs the nodes against the deadline. At the deadline the instance ends `timedOut` at once, its
    /// running nodes cancelled: code that ignores cancellation is no longer awaited.
    private func runWithDeadline(_ deadline: Duration) async throws -> WorkflowResult {
        let race = FirstOutcome<WorkflowResult?>()
        let nodes = Task {
            do { race.settle(.success(try await self.runInterceptedNodes())) } catch { race.settle(.failure(error)) }
        }
        let timer = Task { [clock = clock.clock, control] in
            guard (try? await clock.sleep(for: deadline)) != nil else { return }
            control.requestStop(.timedOut)
            race.settle(.success(nil))
        }
        defer {
            nodes.cancel()
            timer.cancel()
        }
        let outcome = try await withTaskCancellationHandler {
            try await race.value
        } onCancel: {
            nodes.cancel()
        }
        if let outcome { return outcome }
        await stopUnfinishedNodes()
        return makeResult(failure: nil)
    }

    private func runInterceptedNodes() async throws -> WorkflowResult {
        guard let handler = workflow.workflowHandler else {
            // Straight to the nodes, holding neither a call nor a result while they run: every byte of the
            // async frames here stays allocated for as long as a node is suspended.
            await runNodes()
            return makeResult(failure: nil)
        }
        return try await handler.handle(WorkflowCall(instanceID: id, workflowID: workflow.definition.id, input: input, metadata: metadata), context: self)
    }

    /// Runs the nodes with the input and metadata the workflow interceptors passed on.
    func runNodes(input: JSONValue, metadata: [String: String]) async -> WorkflowResult {
        self.input = input
        self.metadata = metadata
        await runNodes()
        return makeResult(failure: nil)
    }

    // The async functions below that run while nodes are suspended are kept apart and small
    // (`@inline(never)`), because the caller of an async function allocates its whole frame, and
    // an instance's frames stay allocated for as long as any of its nodes waits.

    /// Runs the nodes until all have ended; returns `true` instead when the instance parked.
    @discardableResult
    private func runNodes() async -> Bool {
        ready = workflow.plan.order.filter { remainingPredecessors[$0] == 0 }
        return await continueNodes()
    }

    /// Goes on with the nodes from where the strategy left off; returns whether the instance parked.
    private func continueNodes() async -> Bool {
        switch workflow.definition.strategy {
        case .sequential:
            await runSequentially()
        case .parallel(let bound):
            await runLevels(bound: bound)
        case .dag(let bound):
            await drainReady(bound: bound ?? .max)
        }
        if hasLeftParked() { return true }
        await stopUnfinishedNodes()
        return false
    }

    /// Marks a parking instance parked, its task about to end; returns whether it was parking.
    private func hasLeftParked() -> Bool {
        guard case .leaving(let index, let since, let handOver) = parking else { return false }
        parking = .parked(index, since: since)
        // The task the wait's end started goes on from here.
        handOver?.resume()
        return true
    }

    /// Whether the node at `index`, the only one that can run now, parks the instance instead of running in its task.
    private func parks(at index: Int) -> Bool {
        guard mayPark, let parking = workflow.pipelines[index].parking else { return false }
        // A node an earlier process of a resumed run began retries in its pipeline, which counts the
        // earlier attempts and waits what is left of a recorded back-off (``JournaledRetries``).
        if case .backOff = parking, let attemptBases = resumed?.value.attemptBases, index < attemptBases.count, attemptBases[index] > 0 {
            return false
        }
        return true
    }

    /// Parks at the `wait` or `sleep` node `index` (see ``parks(at:)``): the instance's task ends,
    /// and the signal, the timeout or the wake-up starts a new one. Returns whether it parked; when
    /// not, the node has ended (a signal was kept for it, or it was stopped first).
    private func park(_ index: Int) async -> Bool {
        guard let parking = workflow.pipelines[index].parking else { preconditionFailure("node \(index) of \(id) cannot park") }
        let node = self.node(index)
        if case .backOff(let retry, let attempt) = parking { return await runAttempt(of: node, at: index, through: attempt, retry: retry) }
        let since: ContinuousClock.Instant
        switch await node.beginParked() {
        case .began(let start): since = start
        case .ended(let outcome):
            complete(outcome)
            return false
        }
        let nodeID = workflow.plan.nodeIDs[index]
        // A durable run records the wait as the node's pipeline would.
        if let failure = journal?.parkedWaitStarts(nodeID, of: id) {
            complete(await node.endParked(.failure(failure)))
            return false
        }
        // Read before the wait can end: once it has, its task is attached and must be kept.
        let epoch = control.taskEpoch
        let withdrawal: ParkedWithdrawal
        switch parking {
        case .sleep(let duration, let output):
            // A durable sleep wakes at the absolute time it recorded, which a resumed run keeps.
            let delay = journal?.sleepingTime(of: nodeID, in: id, for: duration) ?? duration
            clock.schedule(self, after: delay, .wake(output))
            withdrawal = .timer(clock, wait: ObjectIdentifier(self))
        case .backOff:
            preconditionFailure("node \(index) of \(id) backs off only after an attempt")
        case .signal(let signal, let timeout):
            guard let signals else { preconditionFailure("wait node \(index) of \(id) has no mailbox") }
            switch signals.park(signal, node: nodeID, wait: self) {
            case .received(let value):
                complete(await node.endParked(await recorded(.success(value), ofWaitAt: index)))
                return false
            case .closed:
                complete(await node.endParked(await recorded(.failure(CancellationError()), ofWaitAt: index)))
                return false
            case .parked(let waiter):
                // Set before a signal's task can go on (on this actor, after this step) and take it back.
                if let timeout {
                    clock.schedule(
                        self, after: timeout, .timeOut(waiter: waiter, mailbox: signals, SignalTimeout(node: nodeID, signal: signal, timeout: timeout)))
                }
                withdrawal = .signal(waiter: waiter, mailbox: signals)
            }
        }
        self.parking = .leaving(index, since: since, handOver: nil)
        releaseWhileParked()
        // A cancel or a shutdown must end the wait: there is no task for it to cancel.
        control.whenStopped(withdrawal)
        control.forgetTask(since: epoch)
        return true
    }

    /// Runs an attempt of the node at `index`, whose retries the instance drives (``NodeParking/backOff(_:attempt:)``),
    /// and parks for the back-off when the retry asks for another; returns whether it parked. When
    /// not, the node has ended.
    private func runAttempt(of node: NodeActor, at index: Int, through attempt: any NodeHandler, retry: RetryInterceptor) async -> Bool {
        let journaled = JournaledRetries(journal: journal, instance: id, node: workflow.plan.nodeIDs[index])
        switch await node.runAttempt(makeCall(index), through: attempt, retry: retry, journaled: journaled) {
        case .ended(let outcome):
            complete(outcome)
            return false
        case .backingOff(let delay):
            // Read before the timer is set: once it fires, the task it starts is attached and must be kept.
            let epoch = control.taskEpoch
            clock.schedule(self, after: delay, .wake(.null))
            // The node's actor stays, holding the attempts and the retry's count: `since` is never read.
            parking = .leaving(index, since: .now, handOver: nil)
            releaseWhileParked(keepingNodeActors: true)
            control.whenStopped(.timer(clock, wait: ObjectIdentifier(self)))
            control.forgetTask(since: epoch)
            return true
        }
    }

    /// What the `wait` or `sleep` node at `index` ends with once a durable run has recorded how its
    /// wait ended (``RunJournal/parkedWaitEnded(_:of:with:)``): a completion only once it is committed.
    private func recorded(_ received: Result<JSONValue, any Error>, ofWaitAt index: Int) async -> Result<JSONValue, any Error> {
        guard let journal else { return received }
        return await journal.parkedWaitEnded(workflow.plan.nodeIDs[index], of: id, with: received)
    }

    /// Lets go of what a parked instance does not need until its wait ends: the waiting node's actor
    /// (its attempt goes on from the instant it began, ``Parking``) and the list of node actors unless
    /// `keepingNodeActors`, the ready nodes once all were taken, and the history's spare capacity.
    private func releaseWhileParked(keepingNodeActors: Bool = false) {
        if !keepingNodeActors { nodes = [] }
        if readyCursor == ready.count {
            ready = []
            readyCursor = 0
        }
        log.releaseSpareCapacity()
    }

    /// A parked wait's signal or wake-up (or what ended the wait) arrived: a new task goes on with
    /// the instance. It is detached: the signaller's priority and task-local values are not the
    /// instance's. It nests as deep in `workflow` nodes as the instance's first task did.
    nonisolated func waitEnded(_ received: Result<JSONValue, any Error>) {
        control.attach {
            Task.detached(priority: priority) { [nestingDepth] in
                guard nestingDepth > 0 else { return await self.resumeParked(received) }
                await ChildWorkflowExecutor.$depth.withValue(Int(nestingDepth)) { await self.resumeParked(received) }
            }
        }
    }

    nonisolated func recorded(_ kind: String, node: String, signal: String) {
        journal?.waitRecord(node: node, signal: signal, of: id)(kind)
    }

    /// Whether the instance waits with no task (parked).
    var isParked: Bool {
        if case .parked = parking { return true }
        return false
    }

    private func resumeParked(_ received: Result<JSONValue, any Error>) async {
        switch parking {
        case .leaving(let index, let since, nil):
            // The parking task is still leaving its frames: this task waits until it has left.
            await withCheckedContinuation { handOver in parking = .leaving(index, since: since, handOver: handOver) }
            await resumeParked(received)
        case .parked(let index, _):
            let node = self.node(index)
            parking = .none
            control.parkedWaitEnded()
            switch (workflow.pipelines[index].parking, received) {
            case (.backOff, .success) where control.isStopRequested:
                // Stopped after the back-off's timer fired, before this task ran: no further attempt starts.
                complete(await endBackOff(of: node, at: index, by: CancellationError()))
            case (.backOff(let retry, let attempt), .success):
                if await runAttempt(of: node, at: index, through: attempt, retry: retry) {
                    _ = hasLeftParked()
                    return
                }
            case (.backOff, .failure(let error)):
                complete(await endBackOff(of: node, at: index, by: error))
            case (.signal(_, let timeout), _):
                // The signal came, or a stop: the timeout's timer, which holds the mailbox, is let go now.
                if timeout != nil { clock.cancelTimer(of: self) }
                complete(await node.endParked(await recorded(received, ofWaitAt: index)))
            case (.sleep, _):
                complete(await node.endParked(await recorded(received, ofWaitAt: index)))
            case (nil, _):
                preconditionFailure("instance \(id): node \(index) parked with no way to wait")
            }
            if await continueNodes() { return }
            _ = await end(with: makeResult(failure: nil))
        case .none, .leaving(_, _, .some):
            // The mailbox ends a waiter's wait once, and only after `park` has marked it leaving.
            preconditionFailure("instance \(id): a parked wait ended twice, or for no parked node")
        }
    }

    /// Ends the node at `index`, backing off between attempts, with what ended its wait (a stop),
    /// which a durable run records as the node's pipeline would.
    private func endBackOff(of node: NodeActor, at index: Int, by error: any Error) async -> NodeOutcome {
        let recorded = JournaledRetries(journal: journal, instance: id, node: workflow.plan.nodeIDs[index])?.backOffEnded(by: error)
        return await node.endBackOff(recorded ?? error)
    }

    @inline(never)
    private func runLevels(bound: Int) async {
        followsSuccessors = false
        for level in workflow.plan.levels {
            ready = level
            readyCursor = 0
            await drainReady(bound: bound)
            if shouldStop { return }
        }
    }

    private var shouldStop: Bool { control.isStopRequested || Task.isCancelled }

    @inline(never)
    private func runSequentially() async {
        let order = workflow.plan.order
        while sequentialPosition < order.count {
            let index = order[sequentialPosition]
            if control.isPaused { await control.waitWhilePaused() }
            if shouldStop { return }
            sequentialPosition += 1
            if let reason = reports[index].skipReason {
                await skip(index, reason: reason)
            } else if parks(at: index) {
                if await park(index) { return }
            } else {
                await runInline(index)
            }
        }
    }

    /// Runs ready nodes, at most `bound` at once: inline when the node allows it, else in a child task.
    @inline(never)
    private func drainReady(bound: Int) async {
        await withTaskGroup(of: NodeOutcome.self) { group in
            var inFlight = 0
            while true {
                if !shouldStop && !control.isPaused {
                    while inFlight < bound, readyCursor < ready.count {
                        let index = ready[readyCursor]
                        readyCursor += 1
                        // A node whose upstream failed or whose edge condition is false is skipped on the way.
                        if let reason = reports[index].skipReason {
                            await skip(index, reason: reason)
                            continue
                        }
                        // A node that suspends still runs in this task when it is the only one that can run now:
                        // only its own end can make another node ready, so a child task would buy no parallelism.
                        let alone = inFlight == 0 && readyCursor == ready.count
                        if alone && parks(at: index) {
                            if await park(index) { return }
                        } else if workflow.pipelines[index].runsInline || alone {
                            await runInline(index)
                        } else {
                            startTask(for: index, in: &group)
                            inFlight += 1
                        }
                        if shouldStop || control.isPaused { break }
                    }
                }
                if inFlight > 0, let outcome = await group.next() {
                    inFlight -= 1
                    complete(outcome)
                    continue
                }
                if shouldStop || readyCursor == ready.count { return }
                await control.waitWhilePaused()
            }
        }
    }

    /// Runs a node in the instance's own task, with no child task to pay for: nodes whose executor
    /// does not suspend, a node that is the only runnable one, and every node of a sequential workflow.
    @inline(never)
    private func runInline(_ index: Int) async {
        let node = self.node(index)
        let pipeline = workflow.pipelines[index]
        switch pipeline.body {
        case .synchronous(let body): complete(await node.run(makeCall(index), calling: body))
        case .asynchronous(let body): complete(await node.run(makeCall(index), awaiting: body))
        case nil: complete(await node.run(makeCall(index), handler: pipeline.handler))
        }
    }

    private func startTask(for index: Int, in group: inout TaskGroup<NodeOutcome>) {
        let node = self.node(index)
        let call = makeCall(index)
        // Only the closure or the handler is captured: the child task's context holds no more than it needs.
        let pipeline = workflow.pipelines[index]
        switch pipeline.body {
        case .asynchronous(let body):
            group.addTask { await node.run(call, awaiting: body) }
        case .synchronous, nil:
            let handler = pipeline.handler
            group.addTask { await node.run(call, handler: handler) }
        }
    }

    private func makeCall(_ index: Int) -> NodeCall {
        let pipeline = workflow.pipelines[index]
        return NodeCall(
            instanceID: id, workflowID: workflow.definition.id, nodeID: workflow.plan.nodeIDs[index], kind: pipeline.kind,
            config: pipeline.config, input: input, upstream: upstream(of: index), attempt: 1, metadata: metadata)
    }

    /// The outputs of the node's predecessors by their ids.
    private func upstream(of index: Int) -> [String: JSONValue] {
        let plan = workflow.plan
        let predecessors = plan.predecessors[index]
        var upstream = plan.upstreamTemplates[index]
        let slots = plan.upstreamSlots[index]
        for position in predecessors.indices {
            guard let output = reports[predecessors[position]].output else {
                // A predecessor that ended without an output (a stored report) has no entry.
                return predecessors.reduce(into: [:]) { upstream, predecessor in upstream[plan.nodeIDs[predecessor]] = reports[predecessor].output }
            }
            upstream.values[slots[position]] = output
        }
        return upstream
    }

    /// Records a node's end and decides, edge by edge, whether its successors may run.
    private func complete(_ outcome: consuming NodeOutcome) {
        guard !ended else { return }
        let index = outcome.index
        let status = outcome.status
        // Moved in, not copied: a copy of the resilient report retains each field through its value witness.
        swap(&reports[index], &outcome.report)
        // Nothing asks an ended node again once its end is recorded.
        if !nodes.isEmpty { nodes[index] = nil }
        signals?.nodeEnded(index, node: workflow.plan.nodeIDs[index])
        let plan = workflow.plan
        for successor in plan.successors[index] {
            let target = successor.target
            if reports[target].skipReason == nil {
                if status != .completed {
                    reports[target].skipReason = "upstream node \(plan.nodeIDs[index]) \(status.rawValue)"
                } else if successor.condition != nil && !successor.holds(for: reports[index].output ?? .null) {
                    reports[target].skipReason = "condition on edge \(plan.nodeIDs[index]) → \(plan.nodeIDs[target]) is false"
                }
            }
            remainingPredecessors[target] -= 1
            if remainingPredecessors[target] == 0 && followsSuccessors { ready.append(target) }
        }
    }

    /// Skips the node at `index` for `reason`; a durable run's history records it (its pipeline never runs).
    @inline(never)
    private func skip(_ index: Int, reason: String) async {
        let outcome = await node(index).skip(reason: reason)
        if let journal, outcome.status == .skipped {
            journal.record("nodeSkipped", node: workflow.plan.nodeIDs[index], details: ["reason": .string(reason)], of: id)
        }
        complete(outcome)
    }

    /// Ends every node that has not ended: pending ones as cancelled, and at the deadline running ones too.
    private func stopUnfinishedNodes() async {
        guard !ended else { return }
        for index in reports.indices where !reports[index].status.isTerminal {
            let (outcome, stopped) = await node(index).stop()
            reports[index] = outcome.report
            // Recorded here, before the run's end: a node that never started has no pipeline to
            // record it, and the abandoned code of a running one may return only after the run ended, or never.
            if let journal, let stopped { journal.stopped(workflow.plan.nodeIDs[index], stopped, of: id) }
            nodes[index] = nil
            signals?.nodeEnded(index, node: workflow.plan.nodeIDs[index])
        }
    }

    private func makeResult(failure: (any Error)?) -> WorkflowResult {
        ended = true
        let plan = workflow.plan
        var nodeReports = plan.pendingReports
        for index in reports.indices { nodeReports.values[plan.reportSlots[index]] = reports[index] }
        var result = WorkflowResult(
            instanceID: id, workflowID: workflow.definition.id, status: .completed, nodes: nodeReports, duration: ContinuousClock.now - started)
        if let reason = control.stopReason {
            result.status = reason
            if reason == .timedOut {
                result.error = "deadline of \(workflow.definition.deadline.map { "\($0)" } ?? "the workflow") exceeded"
                result.errorType = "DeadlineExceeded"
            } else {
                result.error = "cancelled"
                result.errorType = "Cancelled"
            }
        } else if let failure {
            result.status = .failed
            result.error = "\(failure)"
            result.errorType = errorTypeName(of: failure)
        } else if let index = plan.order.first(where: { [.failed, .timedOut, .cancelled].contains(reports[$0].status) }) {
            let report = reports[index]
            result.status = .failed
            result.error = "node \(plan.nodeIDs[index]) \(report.status.rawValue): \(report.error ?? "")"
            result.errorType = report.errorType
        }
        return result
    }

    private func finish(_ result: inout WorkflowResult) {
        ended = true
        if !result.status.isTerminal || !status.canTransition(to: result.status) {
            result.error = "a workflow interceptor returned status \(result.status.rawValue), which cannot end an instance that is \(status.rawValue)"
            result.errorType = "InvalidResult"
            result.status = .failed
        }
        transition(to: result.status)
        result.duration = ContinuousClock.now - started
        switch result.status {
        case .completed: log.append(.completed(duration: result.duration))
        case .cancelled: log.append(.cancelled(duration: result.duration))
        case .timedOut: log.append(.timedOut(duration: result.duration))
        default: log.append(.failed(error: result.error ?? "failed", duration: result.duration))
        }
    }
}
