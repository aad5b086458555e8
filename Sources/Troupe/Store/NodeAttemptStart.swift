import Foundation
import Synchronization

/// A node attempt's start, submitted as it starts (``StoreWrite/attemptStart(_:)``) without its
/// row: most nodes end before the store's next transaction, and their end's write carries the
/// start's columns and `nodeStarted` entry, so the store writes the start's row only for an
/// attempt still running when it takes the start into a transaction (``take()``). A crash while
/// the node runs thus still finds the attempt `running`, as with a full record.
public final class NodeAttemptStart: Sendable, Hashable {
    /// The attempt's run.
    public let runID: RunID
    /// The attempt's node.
    public let nodeID: String
    /// The attempt's stored number.
    public let attempt: Int
    /// When it started.
    public let startedAt: Date
    /// The history sequence number of its `nodeStarted` entry.
    let sequence: Int

    /// `unclaimed`, then either `taken` (by the store, for a transaction) or `ended` (by its end's write).
    private let claim = Atomic<UInt8>(Claim.unclaimed)

    private enum Claim {
        static let unclaimed: UInt8 = 0
        static let taken: UInt8 = 1
        static let ended: UInt8 = 2
    }

    init(runID: RunID, nodeID: String, attempt: Int, startedAt: Date, sequence: Int) {
        self.runID = runID
        self.nodeID = nodeID
        self.attempt = attempt
        self.startedAt = startedAt
        self.sequence = sequence
    }

    /// The attempt's row as it started, with its `nodeStarted` entry.
    public var record: NodeAttemptRecord {
        NodeAttemptRecord(
            runID: runID, nodeID: nodeID, attempt: attempt, status: .running, startedAt: startedAt,
            startEvent: RunEventRecord(
                runID: runID, sequence: sequence, date: startedAt, kind: "nodeStarted", nodeID: nodeID, details: ["attempt": .integer(attempt)]))
    }

    /// Called by a store as it puts the start into a transaction: whether it must write ``record``
    /// there, `false` once the attempt has ended (its end's write, submitted after this one, carries
    /// the start). Once taken it stays taken, so a failed transaction's start is written again.
    public func take() -> Bool {
        let (exchanged, original) = claim.compareExchange(expected: Claim.unclaimed, desired: Claim.taken, ordering: .acquiringAndReleasing)
        return exchanged || original == Claim.taken
    }

    /// Marks the attempt ended, just before its end's write (which carries the start) is submitted:
    /// a store that has not taken the start by then writes it only with the end.
    func end() {
        _ = claim.compareExchange(expected: Claim.unclaimed, desired: Claim.ended, ordering: .acquiringAndReleasing)
    }

    /// Identity: one start per attempt started.
    public static func == (lhs: NodeAttemptStart, rhs: NodeAttemptStart) -> Bool { lhs === rhs }

    /// Hashes the identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
