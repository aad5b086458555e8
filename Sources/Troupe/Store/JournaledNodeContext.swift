import Foundation

/// The context a durable run's node calls pass down their chain: the node's own, which it
/// forwards everything to, recording on the way each retry an interceptor reports
/// (``NodeContext/retrying(afterAttempt:delay:error:)``) with its due time, so that the back-off
/// of any retrying interceptor, not only the built-in `retry`, goes on from there after a resume,
/// and each note, which the history then holds where the live events have it.
final class JournaledNodeContext: NodeContext {
    private let base: any NodeContext
    private let journal: RunJournal
    private let run: JournaledRun
    private let call: NodeCall

    init(base: any NodeContext, journal: RunJournal, run: JournaledRun, call: NodeCall) {
        self.base = base
        self.journal = journal
        self.run = run
        self.call = call
    }

    /// The durable run of `call`, when this is the context of that instance's call: the attempt
    /// link further down takes it from here rather than look it up under the journal's lock, which
    /// every node of every durable instance takes.
    func run(of call: NodeCall) -> JournaledRun? { call.instanceID == self.call.instanceID ? run : nil }

    func retrying(afterAttempt attempt: Int, delay: Duration, error: any Error) async {
        // Only after an attempt of this process started (the journal checks): before, there is
        // nothing to retry, and a report then must not end an earlier process's attempt row.
        run.submitRetrying(of: call.nodeID, after: error, delay: delay, at: Date(), to: journal.store)
        await base.retrying(afterAttempt: attempt, delay: delay, error: error)
    }

    func attemptStarting(_ call: NodeCall) async { await base.attemptStarting(call) }

    func attemptFailed(_ call: NodeCall, error: any Error) async { await base.attemptFailed(call, error: error) }

    func note(_ note: InterceptorNote) {
        base.note(note)
        run.submit(
            to: journal.store, entry: "interceptorNote", node: call.nodeID,
            details: [
                "interceptor": .string(note.interceptor), "event": .string(note.event), "message": .string(note.message),
                "details": .object(note.details),
            ])
    }
}
