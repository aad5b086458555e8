import Foundation

/// The innermost link of a durable runtime's node pipelines, just before the executor: records
/// each attempt as it starts (its `nodeStarted` entry in the same record), numbered on from the
/// attempts of earlier processes, without waiting. An attempt caught running by a crash stays
/// recorded `running`; the resumed node's next attempt gets the next number.
struct JournalAttemptLink: NodeHandler {
    let journal: RunJournal
    let next: any NodeHandler

    func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue {
        // An interceptor may pass down a context of its own: the run is then looked up.
        guard let run = (context as? JournaledNodeContext)?.run(of: call) ?? journal.run(of: call.instanceID) else {
            return try await next.handle(call, context: context)
        }
        let start = run.submitAttemptStart(of: call.nodeID, attempt: call.attempt, to: journal)
        do {
            return try await next.handle(call, context: context)
        } catch {
            let message = "\(error)"
            var attempt = start.record
            attempt.status = .failed
            attempt.endedAt = Date()
            attempt.errorType = errorTypeName(of: error)
            attempt.error = message
            attempt.childRunID = run.childRun(of: call.nodeID)
            run.submitAttemptFailure(attempt, message: message, to: journal.store)
            throw error
        }
    }
}
