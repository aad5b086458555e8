import Foundation
import Testing

@_spi(Development) @testable import Troupe

/// The hook a runtime's journal calls as each durable run ends: called once per end, and as cheap
/// on the hundred-thousandth end as on the first. Read with `withLock { $0 }`, each read wrapped the
/// stored function in two more reabstraction thunks, so a long-lived runtime's run ends grew
/// quadratically slower and in the end overflowed the stack; this suite then runs out of time.
@Suite("Run end hook", .timeLimit(.minutes(1)))
struct RunEndHookTests {
    @Test func calledOncePerEndWithoutGrowing() async throws {
        let directory = try StoreDirectory()
        let journal = RunJournal(store: try SQLiteRunStore(path: directory.file()), clock: ContinuousClock())
        let ends = LockedValue(0)
        journal.whenRunEnds { ends.withLock { $0 += 1 } }
        let result = WorkflowResult(instanceID: InstanceID(rawValue: 1), workflowID: "w", status: .completed, nodes: [:], duration: .zero)
        // Ends of instances the journal does not follow: nothing is written, and only the hook runs.
        for _ in 0..<100_000 { await journal.instanceEnded(InstanceID(rawValue: 1), result: result) }
        #expect(ends.withLock { $0 } == 100_000)
    }

    @Test func loadedFunctionStaysOneCallDeep() {
        let calls = LockedValue(0)
        let hook = LockedValue<(@Sendable () -> Void)?>({ calls.withLock { $0 += 1 } })
        for _ in 0..<200_000 { hook.load()?() }
        #expect(calls.withLock { $0 } == 200_000)
    }
}
