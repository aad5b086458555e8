import Foundation

@_spi(Development) @testable import Troupe

/// A store that forwards every requirement to an SQLite store: a test's store subclasses it and
/// overrides the one or two requirements it watches or alters.
class ForwardingRunStore: RunStore, @unchecked Sendable {
    let base: SQLiteRunStore

    init(_ base: SQLiteRunStore) { self.base = base }

    var owner: String { base.owner }
    func commit(_ writes: [StoreWrite]) async throws { try await base.commit(writes) }
    func submit(_ writes: [StoreWrite]) { base.submit(writes) }
    func insert(_ run: RunRecord, definition: DefinitionRecord) async throws -> RunRecord { try await base.insert(run, definition: definition) }
    func claimOrphanedRuns(_ ids: [RunID]?) async throws -> [RunRecord] { try await base.claimOrphanedRuns(ids) }
    func run(_ id: RunID) async throws -> RunRecord? { try await base.run(id) }
    func runs(_ query: RunQuery) async throws -> [RunRecord] { try await base.runs(query) }
    func attempts(of run: RunID) async throws -> [NodeAttemptRecord] { try await base.attempts(of: run) }
    func events(of run: RunID) async throws -> [RunEventRecord] { try await base.events(of: run) }
    func definition(_ hash: String) async throws -> DefinitionRecord? { try await base.definition(hash) }
    func prune(endedBefore date: Date, status: RunStatus?) async throws -> Int { try await base.prune(endedBefore: date, status: status) }
    func close() async { await base.close() }
}
