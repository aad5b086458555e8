/// Re-invokes the rest of the chain after a failed attempt, waiting by an exponential backoff
/// with jitter on an injectable clock, as a ``RetryPolicy`` says.
public struct RetryInterceptor: NodeInterceptor {
    /// The policy it follows.
    public let policy: RetryPolicy
    private let clock: any Clock<Duration>
    /// Where a durable run's back-offs are recorded as absolute times, and found again on resume.
    private let journal: RunJournal?

    /// Creates the interceptor; waits use `clock`, so tests can use a virtual one.
    public init(policy: RetryPolicy, clock: any Clock<Duration> = ContinuousClock()) {
        self.init(policy: policy, clock: clock, journal: nil)
    }

    init(policy: RetryPolicy, clock: any Clock<Duration>, journal: RunJournal?) {
        self.policy = policy
        self.clock = clock
        self.journal = journal
    }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        var call = call
        // A resumed durable run's node has used the attempts earlier processes recorded (the one a
        // crash caught running included): the policy's budget and back-off count on from there.
        let recorded = journal?.run(of: call.instanceID)?.attemptBase(of: call.nodeID) ?? 0
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

    /// Whether to retry after `error` ended the node's `attempt`th attempt of all (across resumes).
    private func shouldRetry(after error: any Error, attempt: Int) -> Bool {
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
