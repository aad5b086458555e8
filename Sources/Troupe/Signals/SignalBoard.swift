/// The mailboxes of a runtime's running instances that have `wait` nodes, by instance id: where
/// the `wait` executor, which sees only the call, finds the instance its node belongs to.
final class SignalBoard: Sendable {
    private let mailboxes = LockedValue<[InstanceID: SignalMailbox]>([:])

    /// Lists an instance's mailbox while it runs.
    func add(_ mailbox: SignalMailbox, for id: InstanceID) {
        mailboxes.withLock { $0[id] = mailbox }
    }

    /// Unlists an instance's mailbox: it has ended.
    func remove(_ id: InstanceID) {
        mailboxes.withLock { _ = $0.removeValue(forKey: id) }
    }

    /// The mailbox of the running instance `id`, if it has `wait` nodes.
    func mailbox(for id: InstanceID) -> SignalMailbox? {
        mailboxes.withLock { $0[id] }
    }
}
