import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

/// A node whose code throws some other error once its task is cancelled ends `cancelled`; a
/// durable run's store records that same end, decided once (``NodeFailure``), for its attempt row,
/// its history entry and the live events alike.
@Suite("A cancelled node's end, live and stored", .timeLimit(.minutes(1)))
struct CancelledFailureRecordTests {
    @Test("an error thrown after the cancel ends the node cancelled, and its attempt row and entry say so too")
    func errorAfterTheCancel() async throws {
        let directory = try StoreDirectory()
        let store = try SQLiteRunStore(path: directory.file(), synchronous: .normal)
        let runtime = WorkflowRuntime(store: store, requestPollInterval: .seconds(3600))
        let gate = Gate()
        try runtime.register(kind: "interrupted") { (_: NodeCall) async throws -> JSONValue in
            await gate.pass()
            throw ExecutionError(type: "Interrupted", message: "the work was stopped")
        }
        let handle = runtime.start(try runtime.prepare(WorkflowDefinition(id: "one", nodes: [NodeDefinition("n", kind: "interrupted")])))
        await gate.waitForArrivals(1)
        handle.cancel()
        gate.openAll()
        let result = try await handle.result
        #expect(result.status == .cancelled)
        #expect(result.nodes["n"]?.status == .cancelled)
        let id = try #require(handle.runID)
        let attempt = try #require(try await store.attempts(of: id).first)
        #expect(attempt.status == .cancelled, "the row ends as the node did, not \(attempt.status)")
        #expect(try await store.events(of: id).filter { $0.nodeID == "n" }.map(\.kind) == ["nodeStarted", "nodeCancelled"])
        #expect(await handle.eventKinds().map(\.label).contains("nodeCancelled n"))
        await store.close()
    }
}
