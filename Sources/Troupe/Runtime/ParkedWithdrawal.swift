/// How a stop ends the wait of an instance parked with no task, which a cancel cannot reach: kept
/// by its ``InstanceControl`` while it waits.
enum ParkedWithdrawal: Sendable {
    /// Its waiter in its mailbox (a `wait` node); a timeout's timer is taken back as the wait ends.
    case signal(waiter: UInt64, mailbox: SignalMailbox)
    /// Its timer (a `sleep` node), by the parked wait's identity.
    case timer(RuntimeClock, wait: ObjectIdentifier)

    /// Ends the wait with `CancellationError`, unless it has ended already.
    func withdraw() {
        switch self {
        case .signal(let waiter, let mailbox):
            mailbox.withdraw(waiter)
        case .timer(let clock, let wait):
            clock.cancelTimer(key: wait)?.waitEnded(.failure(CancellationError()))
        }
    }
}
