/// One node of a running instance: owns the node's status, enforcing its state machine, and its attempts.
actor NodeActor {
    let index: Int
    let id: String
    private let log: EventLog
    private var status: NodeStatus = .pending
    private var attempts = 0

    init(index: Int, id: String, log: EventLog) {
        self.index = index
        self.id = id
        self.log = log
    }

    private func transition(to next: NodeStatus) {
        precondition(status.canTransition(to: next), "illegal node transition \(status) → \(next) for node \(id)")
        status = next
    }

    /// Runs the node's pipeline once. The bookkeeping lives in synchronous helpers so that this
    /// async frame stays small: a suspended node's task then fits in its first allocation block.
    func run(_ call: NodeCall, pipeline: NodePipeline) async -> NodeOutcome {
        let start = begin()
        do {
            let output: JSONValue
            if pipeline.observesRetries {
                output = try await NodeContext.$current.withValue(self) { try await pipeline.handler.handle(call) }
            } else {
                output = try await pipeline.handler.handle(call)
            }
            return finish(since: start, output: output)
        } catch {
            return finish(since: start, error: error)
        }
    }

    private func begin() -> ContinuousClock.Instant {
        let start = ContinuousClock.now
        transition(to: .running)
        attempts = 1
        log.append(.nodeStarted(node: id, attempt: 1), at: start)
        return start
    }

    private func finish(since start: ContinuousClock.Instant, output: JSONValue) -> NodeOutcome {
        let end = ContinuousClock.now
        let duration = end - start
        transition(to: .completed)
        log.append(.nodeCompleted(node: id, duration: duration), at: end)
        return outcome(.completed, output: output, duration: duration)
    }

    private func finish(since start: ContinuousClock.Instant, error: any Error) -> NodeOutcome {
        let duration = ContinuousClock.now - start
        if error is NodeTimeoutError {
            transition(to: .timedOut)
            log.append(.nodeTimedOut(node: id, duration: duration))
            return outcome(.timedOut, duration: duration, error: "\(error)")
        }
        if error is CancellationError || Task.isCancelled {
            transition(to: .cancelled)
            log.append(.nodeCancelled(node: id))
            return outcome(.cancelled, duration: duration, error: "cancelled")
        }
        transition(to: .failed)
        log.append(.nodeFailed(node: id, error: "\(error)", duration: duration))
        return outcome(.failed, duration: duration, error: "\(error)")
    }

    func skip(reason: String) -> NodeOutcome {
        transition(to: .skipped)
        log.append(.nodeSkipped(node: id, reason: reason))
        return outcome(.skipped, duration: .zero, error: reason)
    }

    func cancelPending() -> NodeOutcome {
        transition(to: .cancelled)
        log.append(.nodeCancelled(node: id))
        return outcome(.cancelled, duration: .zero, error: "cancelled before it started")
    }

    func retrying(afterAttempt attempt: Int, delay: Duration, error: any Error) {
        transition(to: .retrying)
        log.append(.nodeRetrying(node: id, attempt: attempt, delay: delay, error: "\(error)"))
    }

    func attemptStarting(_ attempt: Int) {
        transition(to: .running)
        attempts = attempt
        log.append(.nodeStarted(node: id, attempt: attempt))
    }

    private func outcome(_ status: NodeStatus, output: JSONValue? = nil, duration: Duration, error: String? = nil) -> NodeOutcome {
        NodeOutcome(index: index, report: NodeReport(status: status, output: output, attempts: attempts, duration: duration, error: error))
    }
}
