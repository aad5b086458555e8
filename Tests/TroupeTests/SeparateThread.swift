import Foundation

/// Runs seconds of synchronous work on a thread of its own, not on the cooperative pool.
///
/// Swift Testing starts every test at once on a pool of one thread per core, and a test's time
/// limit runs from its start: work that holds a pool thread for seconds without suspending (two
/// such tests hold the whole pool of a 2-core machine) stops every other test, their time-limit
/// checks included, so under load they all "exceed" their limits at the same moment when it ends.
enum SeparateThread {
    /// Runs `body` on a new thread and returns what it returned or throws what it threw.
    static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}
