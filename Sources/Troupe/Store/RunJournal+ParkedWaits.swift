import Foundation

/// A durable run's `wait` or `sleep` node that parks its instance, recorded as its pipeline would
/// record it: the attempt's start, a sleep's wake-up as an absolute time
/// (``sleepingTime(of:in:for:)``), a wait's `nodeWaiting` and `nodeSignalled` where the live events
/// have them, and the end, a completion committed before the node reports it.
extension RunJournal {
    /// What records a `wait` node's `nodeWaiting` and `nodeSignalled` entries in `instance`'s history.
    func waitRecord(node: String, signal: String, of instance: InstanceID) -> @Sendable (_ kind: String) -> Void {
        { [self] kind in record(kind, node: node, details: ["signal": .string(signal)], of: instance) }
    }

    /// Records the start of `node`'s attempt, at which `instance` parks; returns the store failure
    /// that fails the node instead, when recording has failed the run.
    func parkedWaitStarts(_ node: String, of instance: InstanceID) -> StoreError? {
        guard let run = run(of: instance) else { return nil }
        if let failure = run.failure { return failure }
        _ = run.submitAttemptStart(of: node, attempt: 1, to: self)
        return nil
    }

    /// Records how `instance`'s parked wait at `node` ended and returns what the node ends with:
    /// a signal's value or a sleep's output once its completion is committed, the store's error
    /// when that commit failed, or the error that ended the wait.
    func parkedWaitEnded(_ node: String, of instance: InstanceID, with received: Result<JSONValue, any Error>) async -> Result<JSONValue, any Error> {
        guard let run = run(of: instance) else { return received }
        let started = run.latestStart(of: node) ?? Date()
        switch received {
        case .success(let value):
            do {
                try await commitCompletion(of: node, in: run, startedAt: started, output: value)
            } catch {
                return .failure(error)
            }
        case .failure(let error):
            return .failure(recordFailure(of: node, in: run, startedAt: started, error: error))
        }
        return received
    }
}
