import Foundation

/// The outermost link of a durable runtime's node pipelines: gives each call its idempotency key,
/// and returns a node's output only once its completion is committed, so that nothing reports a
/// node completed that a crash could undo. A failed commit fails the node with the store's error.
///
/// The completion is one write: the latest attempt as it started (its `nodeStarted` entry
/// included) with its end and `nodeCompleted` entry, so that when its start has not been
/// committed yet, the store writes one row for both.
struct JournalCompletionLink: NodeHandler {
    let journal: RunJournal
    let next: any NodeHandler

    func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue {
        var call = call
        guard let run = journal.run(of: call.instanceID) else { return try await next.handle(call, context: context) }
        if let failure = run.failure { throw failure }
        call.metadata.reserveCapacity(call.metadata.count + 2)
        call.metadata[RunJournal.runIDKey] = run.id.rawValue
        // Runs control: inside a child run, the key extends the parent node's (RunJournal.idempotencyKeyPrefix).
        call.metadata[RunJournal.idempotencyKey] = RunJournal.idempotencyKey(of: call) ?? run.id.rawValue + "/" + call.nodeID
        let started = Date()
        let output: JSONValue
        do {
            // resume-rules (issue 11): a back-off an earlier process recorded, whichever interceptor
            // reported it, is waited for here, outside every interceptor, before the chain goes on;
            // the chain gets a context that records the retries interceptors report.
            if let remaining = journal.remainingBackOff(of: run, node: call.nodeID) { try await journal.clock.sleep(for: remaining) }
            output = try await next.handle(call, context: JournaledNodeContext(base: context, journal: journal, run: run, call: call))
        } catch {
            let now = Date()
            // Described before the run's lock is taken: a description is the error type's own code.
            let (message, type) = ("\(error)", errorTypeName(of: error))
            let status: NodeStatus = error is CancellationError ? .cancelled : .failed
            // The entry's kind is the end the node's live events show.
            let kind = error is NodeTimeoutError ? "nodeTimedOut" : error is CancellationError || Task.isCancelled ? "nodeCancelled" : "nodeFailed"
            run.submitAttemptEnd(
                of: call.nodeID, started: started, kind: kind, at: now, to: journal.store, details: { _ in ["error": .string(message)] },
                end: { attempt in
                    attempt.status = status
                    attempt.endedAt = now
                    attempt.errorType = type
                    attempt.error = message
                })
            throw error
        }
        let now = Date()
        run.submitAttemptEnd(
            of: call.nodeID, started: started, kind: "nodeCompleted", at: now, to: journal.store, details: { ["attempt": .integer($0)] },
            end: { attempt in
                attempt.status = .completed
                attempt.endedAt = now
                attempt.output = output
            })
        do {
            // Submitted in the order of its number; this commit returns once it is durable, since writes commit in order.
            try await journal.store.commit([])
        } catch {
            let failure = RunJournal.storeError(error)
            run.failure = failure
            throw failure
        }
        return output
    }
}
