import Foundation

/// Where durable runs are recorded: runs, their node attempts, their history and the definitions
/// they ran. ``SQLiteRunStore`` is the embedded implementation.
///
/// The contract every implementation keeps (as swift-log's `LogHandler` states its own):
/// - **Thread safety**: every requirement may be called from any thread or task, concurrently.
/// - **Durability**: when an `async` requirement that writes returns, what it wrote is committed as
///   durably as the store is configured to be (``SQLiteRunStore/Synchronous``); when it throws,
///   nothing of that call was written (writes are all-or-nothing per transaction).
/// - **Order**: writes are committed in the order they were submitted, ``submit(_:)``'s included:
///   a write never becomes visible before one submitted earlier.
/// - **Errors** are ``StoreError``s that name the store and the cause.
/// - **Ownership**: a store instance is one *owner*; a run it inserts or claims is its own until it
///   ends, and no two live owners (processes) on one store hold the same run.
public protocol RunStore: AnyObject, Sendable {
    /// This store instance's owner name, as recorded in the runs it owns.
    var owner: String { get }

    /// Commits `writes` as one transaction, after everything submitted before; returns once durable.
    func commit(_ writes: [StoreWrite]) async throws

    /// Queues `writes` to go with the next transaction, without waiting; if that transaction fails,
    /// they go once more with the one after it, and if that fails too, they are dropped and the
    /// `commit` calls waiting on it or queued behind it throw: a `commit` that returns has made every
    /// write submitted before it durable. Used for records whose loss a crash makes harmless, and
    /// before a `commit` that makes them durable.
    func submit(_ writes: [StoreWrite])

    /// Records `definition` (once per hash) and inserts `run`, owned by this store, after everything
    /// submitted before; returns the run as stored, which is an existing one when another run already
    /// has `run.idempotencyKey`. A child run (``RunRecord/parentRunID``) whose parent has ended is
    /// refused (`ParentRunEnded`): its parent's end, committed first, could not have cancelled it.
    func insert(_ run: RunRecord, definition: DefinitionRecord) async throws -> RunRecord

    /// Takes ownership of runs whose status is `running` and whose owner is gone (a crashed or
    /// closed process), all of them but child runs (``RunRecord/parentRunID``: their parent's node
    /// resumes them) or only those in `ids`, counting a recovery attempt for each; returns them as
    /// claimed. A run owned by a live owner is never returned.
    func claimOrphanedRuns(_ ids: [RunID]?) async throws -> [RunRecord]

    /// The run with this id.
    func run(_ id: RunID) async throws -> RunRecord?

    /// The runs `query` selects, newest first.
    func runs(_ query: RunQuery) async throws -> [RunRecord]

    /// Every attempt of every node of a run, by node then attempt number.
    func attempts(of run: RunID) async throws -> [NodeAttemptRecord]

    /// A run's history, by sequence number.
    func events(of run: RunID) async throws -> [RunEventRecord]

    /// The definition with this hash.
    func definition(_ hash: String) async throws -> DefinitionRecord?

    /// Deletes ended runs (all, or those with `status`) that ended before `date`, with their attempts
    /// and history, in batches; returns how many runs went.
    func prune(endedBefore date: Date, status: RunStatus?) async throws -> Int

    /// Commits what was submitted and releases the store; its runs are then orphans for another owner to claim.
    func close() async
}
