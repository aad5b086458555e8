import Dispatch

@_spi(Development) @testable import Troupe

/// A store's writer held inside a transaction of its own until ``release(once:)``, so that the
/// writes queued meanwhile go together in the transactions after it.
struct HeldWriter {
    private let store: SQLiteRunStore
    private let gate: DispatchSemaphore
    private let held: Task<Void, any Error>
    /// How many transactions the store had begun once the writer was held (the held one included).
    let transactions: Int

    /// Returns once the writer runs the held transaction.
    init(_ store: SQLiteRunStore) async {
        let before = store.transactions
        let gate = DispatchSemaphore(value: 0)
        self.store = store
        self.gate = gate
        held = Task { try await store.perform { _ in gate.wait() } }
        while store.transactions == before { await Task.yield() }
        transactions = store.transactions
    }

    /// Lets the writer go once `pending` jobs wait for it, and returns when the held transaction has ended.
    func release(once pending: Int) async throws {
        while store.queue.pendingCount < pending { await Task.yield() }
        gate.signal()
        try await held.value
    }
}
