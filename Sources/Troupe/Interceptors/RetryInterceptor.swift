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
        // A durable run resumed while this node waited to retry waits only for what is left.
        if let remaining = journal?.remainingBackOff(before: call) { try await clock.sleep(for: remaining) }
        while true {
            do {
                return try await next.handle(call, context: context)
            } catch {
                guard shouldRetry(after: error, attempt: call.attempt) else { throw error }
                let delay = delay(afterAttempt: call.attempt)
                journal?.retrying(call, after: error, delay: delay)
                await context.retrying(afterAttempt: call.attempt, delay: delay, error: error)
                try await clock.sleep(for: delay)
                call.attempt += 1
            }
        }
    }

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
