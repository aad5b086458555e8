import Synchronization

/// One node of a running instance: owns the node's status, enforcing its state machine, and counts
/// its attempts where every attempt passes, so a retry from any interceptor is counted.
///
/// It is the `NodeContext` of its node's calls. What interceptors report through it can never
/// break the state machine: a report that does not fit the node's status (a second `retrying`, a
/// call after the node ended) is ignored. Only the runtime's own transitions are checked with
/// preconditions.
///
/// The state it touches for every node is `@exclusivity(unchecked)`, under the instance's rule (see
/// ``WorkflowInstance``): no access stays open across an `await`, including the handler's, during
/// which ``retrying(afterAttempt:delay:error:)`` and ``stop()`` may run on the actor.
actor NodeActor: NodeContext {
    let index: Int
    let id: String
    private let log: EventLog
    @exclusivity(unchecked) private var status: NodeStatus = .pending
    /// The retry's count of the attempt that ran last, when the instance drives the node's retries
    /// (``runAttempt(_:through:retry:journaled:)``); beside the status, in the padding before the next word.
    /// It stops at `Int32.max`, which an unlimited policy reaches only after years of attempts.
    @exclusivity(unchecked) private var retryAttempt: Int32 = 0
    @exclusivity(unchecked) private var attempts = 0
    private var lastFailure: String?
    /// The outcome the node ended with, for whoever asks again: the deadline may stop an instance
    /// after its node ended but before the scheduler recorded it, and that node keeps its output.
    @exclusivity(unchecked) private var ended: NodeOutcome?
    /// When a wait that holds no task began; for a node backing off between attempts the instance
    /// drives (``runAttempt(_:through:retry:journaled:)``), when its first attempt began.
    @exclusivity(unchecked) private var parkedSince: ContinuousClock.Instant?
    /// Calls that reached the executor, counted without an actor hop so the first attempt costs one atomic add.
    private nonisolated let passes = Atomic<Int>(0)

    /// Attempts an earlier process made (a resumed durable run): this one's are numbered on from there.
    private let attemptBase: Int

    /// The actor of a new run's node that has not started.
    init(index: Int, id: String, log: EventLog) {
        self.index = index
        self.id = id
        self.log = log
        attemptBase = 0
    }

    /// `parkedSince` makes the actor of a `wait` node whose instance parked there, made again when
    /// the wait ends: it goes on as the running attempt that began then.
    init(index: Int, id: String, log: EventLog, restored: NodeReport?, attemptBase: Int, parkedSince: ContinuousClock.Instant?) {
        self.attemptBase = attemptBase
        self.index = index
        self.id = id
        self.log = log
        // A node a resumed run completed before starts as it ended;
        // asked to run, it returns that outcome without running again.
        if let restored {
            status = restored.status
            attempts = restored.attempts
            ended = NodeOutcome(index: index, report: restored)
        } else if let parkedSince {
            status = .running
            attempts = attemptBase + 1
            self.parkedSince = parkedSince
            // The wait is the attempt of its own, as if it had passed to an executor.
            passes.store(1, ordering: .relaxed)
        }
    }

    private func transition(to next: NodeStatus) {
        precondition(status.canTransition(to: next), "illegal node transition \(status) → \(next) for node \(id)")
        status = next
    }

    /// Runs the node's pipeline once. The bookkeeping lives in synchronous helpers so that this
    /// async frame stays small: a suspended node's task then fits in its first allocation block.
    func run(_ call: NodeCall, handler: any NodeHandler) async -> NodeOutcome {
        // Stopped at the deadline after its task was made but before it ran: it never starts.
        guard let start = begin() else { return abandonedOutcome() }
        do {
            let output = try await handler.handle(call, context: self)
            return finish(since: start, output: output)
        } catch {
            return finish(since: start, error: error)
        }
    }

    /// Runs the node's synchronous closure right here: nothing intercepts it, so there is no chain to pass through.
    func run(_ call: NodeCall, calling body: @Sendable (NodeCall) throws -> JSONValue) -> NodeOutcome {
        guard let start = begin() else { return abandonedOutcome() }
        do {
            return finish(since: start, output: try body(call))
        } catch {
            return finish(since: start, error: error)
        }
    }

    /// Awaits the node's asynchronous closure with no chain around it.
    func run(_ call: NodeCall, awaiting body: @Sendable (NodeCall) async throws -> JSONValue) async -> NodeOutcome {
        guard let start = begin() else { return abandonedOutcome() }
        // The closure is the executor: a resumed durable node reports this attempt, not only the earlier ones.
        passes.wrappingAdd(1, ordering: .relaxed)
        do {
            let output = try await body(call)
            return finish(since: start, output: output)
        } catch {
            return finish(since: start, error: error)
        }
    }

    /// How ``beginParked()`` went.
    enum ParkedStart {
        /// The wait began at this instant.
        case began(ContinuousClock.Instant)
        /// The node could not start (stopped at the deadline first) and ended so.
        case ended(NodeOutcome)
    }

    /// Starts the node as a wait that holds no task.
    func beginParked() -> ParkedStart {
        guard let start = begin() else { return .ended(abandonedOutcome()) }
        parkedSince = start
        // The wait is the attempt: a resumed run's node reports its own attempt, not the earlier ones.
        passes.store(1, ordering: .relaxed)
        return .began(start)
    }

    /// Ends a wait begun with ``beginParked()`` with the signal's value, or with what ended the wait.
    func endParked(_ received: Result<JSONValue, any Error>) -> NodeOutcome {
        guard let start = parkedSince else { return abandonedOutcome() }
        parkedSince = nil
        switch received {
        case .success(let value): return finish(since: start, output: value)
        case .failure(let error): return finish(since: start, error: error)
        }
    }

    /// How an attempt of ``runAttempt(_:through:retry:journaled:)`` went.
    enum AttemptEnd {
        /// The node ended.
        case ended(NodeOutcome)
        /// It failed, and `retry` asks for another attempt after `delay`: the node is retrying.
        case backingOff(Duration)
    }

    /// Runs one attempt of a node whose retries the instance drives, so that it can park for the
    /// back-off instead of sleeping in its task: `handler` is the chain inside `retry`, which
    /// decides as it would itself. The first call begins the node; one after a back-off runs the
    /// next attempt, numbered on. A durable run's `journaled` records the attempts and the back-offs,
    /// and the node reports completed only once its completion is committed.
    func runAttempt(_ call: NodeCall, through handler: any NodeHandler, retry: RetryInterceptor, journaled: JournaledRetries?) async -> AttemptEnd {
        var call = call
        let start: ContinuousClock.Instant
        if let since = parkedSince {
            // Stopped while it backed off: the stop has ended it.
            guard !status.isTerminal else { return .ended(abandonedOutcome()) }
            start = since
            call.attempt = Int(retryAttempt) + 1
        } else {
            guard let begun = begin() else { return .ended(abandonedOutcome()) }
            start = begun
            // Recording has failed the run: no attempt starts, as in the node's pipeline.
            if let failure = journaled?.failure { return .ended(finish(since: start, error: failure)) }
        }
        // Counted as the retry counts, whether or not the attempt reaches the executor.
        retryAttempt = Int32(clamping: call.attempt)
        var context: any NodeContext = self
        if let journaled {
            call = journaled.keyed(call)
            context = journaled.context(around: self, call: call)
        }
        let ending: Result<JSONValue, any Error>
        do {
            ending = .success(try await handler.handle(call, context: context))
        } catch {
            if !status.isTerminal, retry.shouldRetry(after: error, attempt: call.attempt) {
                let delay = retry.delay(afterAttempt: call.attempt)
                journaled?.backingOff(after: error, delay: delay)
                retrying(afterAttempt: call.attempt, delay: delay, error: error)
                parkedSince = start
                return .backingOff(delay)
            }
            ending = .failure(error)
        }
        parkedSince = nil
        switch await journaled?.ended(with: ending) ?? ending {
        case .success(let output): return .ended(finish(since: start, output: output))
        case .failure(let error): return .ended(finish(since: start, error: error))
        }
    }

    /// Ends a node backing off between attempts (``runAttempt(_:through:retry:journaled:)``) with what ended its wait: a stop.
    func endBackOff(_ error: any Error) -> NodeOutcome {
        guard let start = parkedSince else { return abandonedOutcome() }
        parkedSince = nil
        return finish(since: start, error: error)
    }

    private func begin() -> ContinuousClock.Instant? {
        guard status == .pending else { return nil }
        let start = ContinuousClock.now
        transition(to: .running)
        attempts = attemptBase + 1
        log.appendNodeEvent(.nodeStarted(node: id, attempt: attempts), of: index, at: start)
        return start
    }

    private func finish(since start: ContinuousClock.Instant, output: JSONValue) -> NodeOutcome {
        if status.isTerminal { return abandonedOutcome() }
        let end = ContinuousClock.now
        let duration = end - start
        transition(to: .completed)
        log.appendNodeEvent(.nodeCompleted(node: id, duration: duration), of: index, at: end)
        return outcome(.completed, output: output, duration: duration)
    }

    /// Ends the node as `error` ends it: as the journal decided, when it recorded the end first (``NodeFailure``).
    private func finish(since start: ContinuousClock.Instant, error: any Error) -> NodeOutcome {
        if status.isTerminal { return abandonedOutcome() }
        let duration = ContinuousClock.now - start
        let failure = NodeFailure(error)
        let error = failure.error
        switch failure.end {
        case .timedOut:
            transition(to: .timedOut)
            log.appendNodeEvent(.nodeTimedOut(node: id, duration: duration), of: index)
            return outcome(.timedOut, duration: duration, error: "\(error)", errorType: errorTypeName(of: error))
        case .cancelled:
            transition(to: .cancelled)
            log.appendNodeEvent(.nodeCancelled(node: id), of: index)
            return outcome(.cancelled, duration: duration, error: "cancelled", errorType: "CancellationError")
        case .failed:
            transition(to: .failed)
            log.appendNodeEvent(.nodeFailed(node: id, error: "\(error)", duration: duration), of: index)
            return outcome(.failed, duration: duration, error: "\(error)", errorType: errorTypeName(of: error))
        }
    }

    func skip(reason: String) -> NodeOutcome {
        // Work abandoned at the deadline may still reach a node the deadline already stopped.
        guard status == .pending else { return abandonedOutcome() }
        transition(to: .skipped)
        log.appendNodeEvent(.nodeSkipped(node: id, reason: reason), of: index)
        let skipped = NodeOutcome(index: index, status: .skipped, skipReason: reason)
        ended = skipped
        return skipped
    }

    /// Ends the node as cancelled: one not started yet, or, at the instance's deadline, one still
    /// running, whose code is then no longer awaited; `stopped` says which, `nil` when it had ended.
    func stop() -> (outcome: NodeOutcome, stopped: StoppedNode?) {
        switch status {
        case .pending:
            transition(to: .cancelled)
            log.appendNodeEvent(.nodeCancelled(node: id), of: index)
            return (outcome(.cancelled, duration: .zero, error: StoppedNode.pending.message, errorType: "CancellationError"), .pending)
        case .running, .retrying:
            transition(to: .cancelled)
            log.appendNodeEvent(.nodeCancelled(node: id), of: index)
            return (outcome(.cancelled, duration: .zero, error: StoppedNode.running.message, errorType: "CancellationError"), .running)
        default:
            return (abandonedOutcome(), nil)
        }
    }

    /// What a node stopped by ``stop()`` reports when its abandoned code finally returns: nothing new.
    private func abandonedOutcome() -> NodeOutcome {
        ended ?? outcome(status, duration: .zero, error: "cancelled", errorType: "CancellationError")
    }

    private func outcome(
        _ status: NodeStatus, output: JSONValue? = nil, duration: Duration, error: String? = nil, errorType: String? = nil
    ) -> NodeOutcome {
        // A resumed node that ends before any call reaches its executor here (its retries ran out in
        // the process that crashed, or it is stopped first) made no attempt of its own: it reports the earlier ones.
        let made = NodeOutcome(
            index: index, status: status, output: output,
            attempts: attemptBase > 0 && passes.load(ordering: .relaxed) == 0 ? attemptBase : attempts, duration: duration, error: error,
            errorType: errorType)
        if status.isTerminal { ended = made }
        return made
    }

    // MARK: NodeContext

    func retrying(afterAttempt attempt: Int, delay: Duration, error: any Error) {
        // Before any attempt reached the executor there is nothing to retry.
        guard status == .running, passes.load(ordering: .relaxed) > 0 else { return }
        transition(to: .retrying)
        log.appendNodeEvent(.nodeRetrying(node: id, attempt: attempts, delay: delay, error: "\(error)"), of: index)
    }

    nonisolated func attemptStarting(_ call: NodeCall) async {
        let pass = passes.wrappingAdd(1, ordering: .relaxed).newValue
        if pass > 1 { await passStarted(pass) }
    }

    func attemptFailed(_ call: NodeCall, error: any Error) {
        lastFailure = "\(error)"
    }

    // Notes go straight to the log, without an actor hop, so that an
    // interceptor that never suspends can make them. The log drops what comes after the final event.
    nonisolated func note(_ note: InterceptorNote) {
        log.appendNodeEvent(.interceptorNote(node: id, note: note), of: index)
    }

    /// A further call reached the executor: a retry, reported by its interceptor or not.
    private func passStarted(_ pass: Int) {
        switch status {
        case .retrying:
            break
        case .running:
            // Retried by an interceptor that did not report it: the retry still shows, with no wait.
            transition(to: .retrying)
            log.appendNodeEvent(.nodeRetrying(node: id, attempt: attempts, delay: .zero, error: lastFailure ?? "attempt \(attempts) was retried"), of: index)
        default:
            return
        }
        transition(to: .running)
        attempts = attemptBase + pass
        log.appendNodeEvent(.nodeStarted(node: id, attempt: attempts), of: index)
    }
}
