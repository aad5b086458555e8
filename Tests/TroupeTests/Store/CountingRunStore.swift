import Foundation

@_spi(Development) @testable import Troupe

/// A store that forwards to an SQLite store and counts the reads of runs, for tests that check
/// how often something reads the store.
final class CountingRunStore: ForwardingRunStore, @unchecked Sendable {
    private let counts = LockedValue<(runs: Int, run: Int)>((0, 0))

    /// How many times `runs(_:)` and `run(_:)` were called.
    var reads: (runs: Int, run: Int) { counts.withLock { $0 } }

    override func run(_ id: RunID) async throws -> RunRecord? {
        counts.withLock { $0.run += 1 }
        return try await base.run(id)
    }

    override func runs(_ query: RunQuery) async throws -> [RunRecord] {
        counts.withLock { $0.runs += 1 }
        return try await base.runs(query)
    }
}
