/// Re-invokes the rest of the chain after a failed attempt, waiting by an exponential backoff
/// with jitter on an injectable clock, as a ``RetryPolicy`` says.
public struct RetryInterceptor: NodeInterceptor {
    /// The policy it follows.
    public let policy: RetryPolicy
    private let clock: any Clock<Duration>
    /// Where a durable run's back-offs are recorded as absolute times, and found again on resume.
    private let journal: RunJournal?
    /// Whether the runtime made it, on its own clock: an instance may then drive its retries and
    /// park for the back-offs on that clock (``NodeParking/backOff(_:attempt:)``). One a host made
    /// waits on its own clock, in the instance's task.
    let isTheRuntimes: Bool

    /// Creates the interceptor; waits use `clock`, so tests can use a virtual one.
    public init(policy: RetryPolicy, clock: any Clock<Duration> = ContinuousClock()) {
        self.policy = policy
        self.clock = clock
        journal = nil
        isTheRuntimes = false
    }

    /// The runtime's retry, on its clock, for a node's `retry` policy or the built-in `retry` interceptor.
    init(policy: RetryPolicy, clock: any Clock<Duration>, journal: RunJournal?) {
        self.policy = policy
        self.clock = clock
        self.journal = journal
        isTheRuntimes = true
    }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        var call = call
        let recorded = try await attemptsRecorded(before: call)
        if policy.maximumAttempts != 0 && recorded >= policy.maximumAttempts {
            throw ExecutionError(
                type: "RetryLimit",
                message:
                    "node \(call.nodeID) has used the \(policy.maximumAttempts) attempts its retry policy allows before this process resumed its run",
                details: ["attempts": .integer(recorded), "maximumAttempts": .integer(policy.maximumAttempts)])
        }
        // A durable run's journal records each retry's due time from the `retrying` report below,
        // and a resumed node waits what is left of it before its chain runs.
        while true {
            do {
                return try await next.handle(call, context: context)
            } catch {
                guard shouldRetry(after: error, attempt: recorded + call.attempt) else { throw error }
                let delay = delay(afterAttempt: recorded + call.attempt)
                await context.retrying(afterAttempt: recorded + call.attempt, delay: delay, error: error)
                try await clock.sleep(for: delay)
                call.attempt += 1
            }
        }
    }

    /// The attempts of the node's current series that earlier processes of a resumed durable run
    /// made, the one a crash caught running included: the policy's budget and back-off count on
    /// from there. A series ends with an attempt that failed with no retry after it (no due time
    /// recorded), so a run re-run from its failed nodes gives them a budget of their own.
    private func attemptsRecorded(before call: NodeCall) async throws -> Int {
        guard let journal, let run = journal.run(of: call.instanceID) else { return 0 }
        let base = run.attemptBase(of: call.nodeID)
        // Nothing to read for a node no earlier process ran, which is every node of a run that did not resume.
        guard base > 0 else { return 0 }
        let ended: Set<NodeStatus> = [.failed, .cancelled, .timedOut]
        let series = try await journal.store.attempts(of: run.id).filter { $0.nodeID == call.nodeID && ended.contains($0.status) && $0.nextAttemptAt == nil }
        return base - (series.map(\.attempt).max() ?? 0)
    }

    /// Whether to retry after `error` ended the node's `attempt`th attempt of all (across resumes).
    func shouldRetry(after error: any Error, attempt: Int) -> Bool {
        if error is CancellationError || Task.isCancelled { return false }
        if policy.maximumAttempts != 0 && attempt >= policy.maximumAttempts { return false }
        return !policy.nonRetryableErrorTypes.contains(errorTypeName(of: error))
    }

    /// The backoff interval, moved at random by up to `jitter` of itself either way.
    func delay(afterAttempt attempt: Int) -> Duration {
        let base = policy.interval(afterAttempt: attempt)
        guard policy.jitter > 0 else { return base }
        let factor = 1 + Double.random(in: -policy.jitter...policy.jitter)
        return Duration(clampingSeconds: base.seconds * factor)
    }
}
