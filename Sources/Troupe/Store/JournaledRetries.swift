import Foundation

/// The journal's part in a durable node whose retries its instance drives, parking for each
/// back-off (``NodeParking/backOff(_:attempt:)``): what ``JournalCompletionLink`` does around a
/// node's pipeline, done around its attempts, so that the store records them as it would for the
/// retry waiting in a task.
///
/// Only a node that no earlier process of the run began drives its retries so: one a resumed run
/// goes on with counts its earlier attempts and waits what is left of a recorded back-off, which its
/// pipeline does (``RetryInterceptor``, ``JournalCompletionLink``).
struct JournaledRetries: Sendable {
    private let journal: RunJournal
    private let run: JournaledRun
    private let instance: InstanceID
    private let node: String

    /// `nil` when `instance` is not a durable run.
    init?(journal: RunJournal?, instance: InstanceID, node: String) {
        guard let journal, let run = journal.run(of: instance) else { return nil }
        self.journal = journal
        self.run = run
        self.instance = instance
        self.node = node
    }

    /// The store's failure that fails the node before any attempt, once recording has failed the run.
    var failure: StoreError? { run.failure }

    /// `call` with the run's id and the node's idempotency key in its metadata.
    func keyed(_ call: NodeCall) -> NodeCall { run.keyed(call) }

    /// The context of an attempt's chain, which records the retries its interceptors report.
    func context(around base: any NodeContext, call: NodeCall) -> any NodeContext {
        JournaledNodeContext(base: base, journal: journal, run: run, call: call)
    }

    /// Records that the retry backs off for `delay` after `error`, with the next attempt's due time.
    func backingOff(after error: any Error, delay: Duration) {
        run.submitRetrying(of: node, after: error, delay: delay, at: Date(), to: journal.store)
    }

    /// Records how the node ended and returns what it ends with: its output once the completion is
    /// committed, the store's error when that commit failed, or the error it failed with.
    func ended(with result: Result<JSONValue, any Error>) async -> Result<JSONValue, any Error> {
        await journal.parkedWaitEnded(node, of: instance, with: result)
    }

    /// Records that what ended the node's back-off, a stop, ended the node, with the next commit;
    /// returns the error to end the node with, carrying the decision recorded (``NodeFailure``).
    func backOffEnded(by error: any Error) -> any Error {
        journal.recordFailure(of: node, in: run, startedAt: run.latestStart(of: node) ?? Date(), error: error)
    }
}
