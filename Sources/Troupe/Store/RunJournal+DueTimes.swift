import Foundation

/// Retry back-offs and `sleep` nodes as absolute wall-clock times in a durable run's attempt rows
/// (`nextAttemptAt`), so that a resumed run waits only for what is left of them, on the runtime's clock.
extension RunJournal {
    /// What is left of the back-off that an earlier process recorded for `node` of `run` before its
    /// next attempt (taken once); `nil` when none is pending or its time has passed.
    func remainingBackOff(of run: JournaledRun, node: String) -> Duration? {
        // resume-rules (issue 11): takes the run its caller, the completion link, has already looked up.
        guard let due = run.takeBackOff(of: node) else { return nil }
        let remaining = due.timeIntervalSinceNow
        return remaining > 0 ? Duration(clampingSeconds: remaining) : nil
    }

    /// How long `instance`'s `sleep` node `node` sleeps for `duration`: until the wake-up an earlier
    /// process recorded for it (nothing once that has passed), or else `duration`. Records the
    /// wake-up with the attempt, so that a later resume keeps it too.
    func sleepingTime(of node: String, in instance: InstanceID, for duration: Duration) -> Duration {
        guard let run = run(of: instance) else { return duration }
        let now = Date()
        let wake = run.takeWake(of: node) ?? now.addingTimeInterval(duration.seconds)
        store.submit([
            .attempt(
                NodeAttemptRecord(
                    runID: run.id, nodeID: node, attempt: run.latestAttempt(of: node), status: .running,
                    startedAt: run.latestStart(of: node) ?? now, nextAttemptAt: wake))
        ])
        return Duration(clampingSeconds: wake.timeIntervalSince(now))
    }
}
