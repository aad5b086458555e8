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
        guard let run = journal.run(of: call.instanceID) else { return try await next.handle(call, context: context) }
        // The chain gets a context that records the retries interceptors report.
        return try await journal.complete(call, of: run) { call in
            try await next.handle(call, context: JournaledNodeContext(base: context, journal: journal, run: run, call: call))
        }
    }
}
