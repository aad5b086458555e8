import Foundation

/// The innermost link of a durable runtime's node pipelines, just before the executor: records
/// each attempt as it starts, numbered on from the attempts of earlier processes, without waiting.
/// An attempt caught running by a crash stays recorded `running`; the resumed node's next attempt
/// gets the next number.
struct JournalAttemptLink: NodeHandler {
    let journal: RunJournal
    let next: any NodeHandler

    func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue {
        guard let run = journal.run(of: call.instanceID) else { return try await next.handle(call, context: context) }
        let number = run.attemptStarting(call.nodeID, attempt: call.attempt)
        let started = Date()
        journal.store.submit([
            .attempt(NodeAttemptRecord(runID: run.id, nodeID: call.nodeID, attempt: number, status: .running, startedAt: started)),
            .event(run.event("nodeStarted", node: call.nodeID, details: ["attempt": .integer(number)])),
        ])
        do {
            return try await next.handle(call, context: context)
        } catch {
            journal.store.submit([
                .attempt(
                    NodeAttemptRecord(
                        runID: run.id, nodeID: call.nodeID, attempt: number, status: .failed, startedAt: started, endedAt: Date(),
                        errorType: errorTypeName(of: error), error: "\(error)", childRunID: run.childRun(of: call.nodeID)))
            ])
            throw error
        }
    }
}
