import Foundation

/// How a durable node's latest attempt ends on record: the one place its end entry and row are made,
/// for a node whose pipeline runs (``JournalCompletionLink``, or a host closure awaited directly) and
/// for a `wait` node its instance parked at.
extension RunJournal {
    /// What the completion link does around `attempt`, `call`'s chain below it, for `run`: the
    /// call keyed, a back-off an earlier process recorded waited out, and the output returned only
    /// once its completion is committed; a failure ends the attempt on record (the one end the
    /// attempt link's failure and this would leave together) and is thrown as the node's decision.
    func complete(_ call: NodeCall, of run: JournaledRun, attempt: (NodeCall) async throws -> JSONValue) async throws -> JSONValue {
        let (call, started) = try begin(call, of: run)
        let output: JSONValue
        do {
            try await waitOutBackOff(of: call.nodeID, in: run)
            output = try await attempt(call)
        } catch {
            throw recordFailure(of: call.nodeID, in: run, startedAt: started, error: error)
        }
        try await commitCompletion(of: call.nodeID, in: run, startedAt: started, output: output)
        return output
    }

    /// What an attempt of `run` begins with: the run's recording failure thrown, else `call` keyed and the time it starts.
    func begin(_ call: NodeCall, of run: JournaledRun) throws(StoreError) -> (NodeCall, Date) {
        if let failure = run.failure { throw failure }
        return (run.keyed(call), Date())
    }

    /// Waits out a back-off of `node` that an earlier process recorded.
    func waitOutBackOff(of node: String, in run: JournaledRun) async throws {
        // resume-rules (issue 11): whichever interceptor reported it, it is waited for here, outside
        // every interceptor, before the chain goes on.
        if let remaining = remainingBackOff(of: run, node: node) { try await clock.sleep(for: remaining) }
    }

    /// Records that `node`'s latest attempt of `run` failed with `error`, its entry the end the
    /// node's live events show (`nodeFailed`, `nodeTimedOut` or `nodeCancelled`), with the next
    /// commit. Returns the decision it recorded, for the node's actor to end the node by.
    func recordFailure(of node: String, in run: JournaledRun, startedAt started: Date, error: any Error) -> NodeFailure {
        let now = Date()
        let failure = NodeFailure(error)
        // Described before the run's lock is taken: a description is the error type's own code.
        let (message, type) = ("\(failure.error)", errorTypeName(of: failure.error))
        // The row's status and the entry's kind are the node's live end.
        let (status, kind): (NodeStatus, String) =
            switch failure.end {
            case .timedOut: (.timedOut, "nodeTimedOut")
            case .cancelled: (.cancelled, "nodeCancelled")
            case .failed: (.failed, "nodeFailed")
            }
        run.submitAttemptEnd(
            of: node, started: started, kind: kind, at: now, to: store, details: { _ in ["error": .string(message)] },
            end: { attempt in
                attempt.status = status
                attempt.endedAt = now
                attempt.errorType = type
                attempt.error = message
            })
        return failure
    }

    /// Records that `node`'s latest attempt of `run` completed with `output`, and returns once that
    /// is committed; throws the store's error, which then fails the run's later nodes too.
    func commitCompletion(of node: String, in run: JournaledRun, startedAt started: Date, output: JSONValue) async throws(StoreError) {
        let now = Date()
        do {
            // Submitted in the order of its number, and committed with everything submitted before it.
            try await commit { hand in run.submitCompletion(of: node, started: started, at: now, output: output, handing: hand) }
        } catch {
            let failure = Self.storeError(error)
            run.failure = failure
            throw failure
        }
    }
}
