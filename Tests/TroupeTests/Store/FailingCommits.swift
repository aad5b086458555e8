@_spi(Development) @testable import Troupe

/// A store whose commits fail with a full disk's error once told to (``failing``).
final class FailingCommits: ForwardingRunStore, @unchecked Sendable {
    /// Whether commits fail from now on.
    let failing = LockedValue(false)

    override func commit(_ writes: [StoreWrite]) async throws {
        if failing.withLock({ $0 }) { throw StoreError(type: "DiskFull", message: "no room for the commit") }
        try await base.commit(writes)
    }
}
