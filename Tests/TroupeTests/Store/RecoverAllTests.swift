import Foundation
import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// `recover()` reads every orphaned run back before it starts any; these check what that leaves
/// when reading one of them fails.
@Suite("Recovering every orphaned run", .timeLimit(.minutes(2)))
struct RecoverAllTests {
    let directory: StoreDirectory

    init() throws { directory = try StoreDirectory() }

    /// A store whose attempts cannot be read for any run but the first one asked for.
    final class FailingAttemptsStore: ForwardingRunStore, @unchecked Sendable {
        private let first = LockedValue<RunID?>(nil)

        override func attempts(of run: RunID) async throws -> [NodeAttemptRecord] {
            let isFirst = first.withLock { first in
                if first == nil { first = run }
                return first == run
            }
            guard isFirst else { throw StoreError(type: "Corrupt", message: "attempts of \(run) cannot be read") }
            return try await super.attempts(of: run)
        }
    }

    @Test func aRunThatCannotBeReadFailsRecoverButTheRunsReadBeforeItStillRun() async throws {
        let path = directory.file()
        let gate = Gate()
        let (first, crashedStore) = try DurableRunTests.runtime(path, calls: NodeCallCounter(), gate: gate)
        let workflow = try first.prepare(DurableRunTests.chain)
        let crashed = [first.start(workflow), first.start(workflow)]
        await gate.waitForArrivals(2)
        try await crashedStore.commit([])
        await crashedStore.close()
        defer { gate.openAll() }

        let store = FailingAttemptsStore(try SQLiteRunStore(path: path, synchronous: .normal))
        let opened = Gate()
        opened.openAll()
        let second = try DurableRunTests.runtime(on: store, calls: NodeCallCounter(), gate: opened)
        await #expect(throws: StoreError.self) { try await second.recover() }
        // The run read first was started all the same; the other stays claimed, for a later recover.
        let running = second.running
        #expect(running.count == 1)
        let result = try await #require(running.first).result
        #expect(result.status == .completed)
        let ids = crashed.compactMap(\.runID)
        #expect(ids.count == 2)
        var statuses: [RunStatus] = []
        for id in ids { statuses.append(try #require(try await store.run(id)).status) }
        #expect(statuses.filter { $0 == .completed }.count == 1 && statuses.filter { $0 == .running }.count == 1, "\(statuses)")
        await store.close()
    }
}
