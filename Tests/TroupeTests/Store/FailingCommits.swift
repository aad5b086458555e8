import Testing

@_spi(Development) @testable import Troupe

/// A store whose commits fail with a full disk's error once told to (``failing``).
final class FailingCommits: ForwardingRunStore, @unchecked Sendable {
    /// The message of the error the commits fail with.
    static let message = "no room for the commit"

    /// Whether commits fail from now on.
    let failing = LockedValue(false)

    override func commit(_ writes: [StoreWrite]) async throws {
        if failing.withLock({ $0 }) { throw StoreError(type: "DiskFull", message: Self.message) }
        try await base.commit(writes)
    }

    /// Expects `node`, whose completion could not be committed, to have failed with the store's
    /// error and never been reported completed, and its successor `successor` to have been skipped.
    static func expectFailedUncommitted(
        _ node: String, before successor: String, in result: WorkflowResult, of handle: WorkflowHandle,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        #expect(result.nodes[node]?.status == .failed, sourceLocation: sourceLocation)
        #expect(result.nodes[node]?.errorType == "StoreError", sourceLocation: sourceLocation)
        #expect(result.nodes[node]?.error?.contains(message) == true, sourceLocation: sourceLocation)
        #expect(result.nodes[successor]?.status == .skipped, sourceLocation: sourceLocation)
        #expect(await !handle.eventKinds().contains { $0.label == "nodeCompleted \(node)" }, sourceLocation: sourceLocation)
    }
}
