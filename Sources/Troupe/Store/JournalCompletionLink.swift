import Foundation

/// The outermost link of a durable runtime's node pipelines: gives each call its idempotency key,
/// and returns a node's output only once its completion is committed, so that nothing reports a
/// node completed that a crash could undo. A failed commit fails the node with the store's error.
struct JournalCompletionLink: NodeHandler {
    let journal: RunJournal
    let next: any NodeHandler

    func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue {
        var call = call
        guard let run = journal.run(of: call.instanceID) else { return try await next.handle(call, context: context) }
        if let failure = run.failure { throw failure }
        call.metadata[RunJournal.runIDKey] = run.id.rawValue
        // Runs control: inside a child run, the key extends the parent node's (RunJournal.idempotencyKeyPrefix).
        call.metadata[RunJournal.idempotencyKey] = RunJournal.idempotencyKey(of: call) ?? "\(run.id)/\(call.nodeID)"
        let started = Date()
        let output: JSONValue
        do {
            output = try await next.handle(call, context: context)
        } catch {
            journal.store.submit([
                .attempt(
                    NodeAttemptRecord(
                        runID: run.id, nodeID: call.nodeID, attempt: run.latestAttempt(of: call.nodeID),
                        status: error is CancellationError ? .cancelled : .failed, startedAt: started, endedAt: Date(),
                        errorType: errorTypeName(of: error), error: "\(error)", childRunID: run.childRun(of: call.nodeID))),
                .event(run.event("nodeFailed", node: call.nodeID, details: ["error": .string("\(error)")])),
            ])
            throw error
        }
        let attempt = run.latestAttempt(of: call.nodeID)
        do {
            try await journal.store.commit([
                .attempt(
                    NodeAttemptRecord(
                        runID: run.id, nodeID: call.nodeID, attempt: attempt, status: .completed, startedAt: started, endedAt: Date(),
                        output: output, childRunID: run.childRun(of: call.nodeID))),
                .event(run.event("nodeCompleted", node: call.nodeID, details: ["attempt": .integer(attempt)])),
            ])
        } catch {
            let failure = RunJournal.storeError(error)
            run.failure = failure
            throw failure
        }
        return output
    }
}
