/// The runtime's clock, shared by all its instances, with the timers that wake instances parked
/// for a time on it (at a `sleep` node, a `wait` node with a timeout, or a retry's back-off).
///
/// One task sleeps for every timer, until the earliest is due, so a parked instance costs a timer
/// entry here and no task of its own. The task is replaced only when a timer due earlier than the
/// one it sleeps for comes; timers of one duration come in due order, and share it.
///
/// Thread safety: every method may be called from any thread. A timer is either due, and then fires
/// once from the clock's task, or taken back by ``cancelTimer(of:)`` first: never both.
final class RuntimeClock: Sendable {
    /// What a timer does when it is due.
    enum Expiry: Sendable {
        /// The wait ends with this output (a `sleep` node's, or nothing when a back-off ends).
        case wake(JSONValue)
        /// The parked `wait` node's waiter `waiter` in `mailbox` gives up with `error`; the mailbox
        /// tells the wait, unless the signal or a stop came first.
        case timeOut(waiter: UInt64, mailbox: SignalMailbox, SignalTimeout)
    }

    private struct Timer {
        let serial: UInt64
        let wait: any ParkedWait
        let expiry: Expiry

        func fire() {
            switch expiry {
            case .wake(let output): wait.waitEnded(.success(output))
            case .timeOut(let waiter, let mailbox, let error): mailbox.timeOut(waiter, with: error)
            }
        }
    }

    private struct State {
        /// Each parked wait's timer, by the wait's identity: a wait has one timer at a time.
        var timers: [ObjectIdentifier: Timer] = [:]
        var queue = WakeUpQueue()
        /// Numbers timers and sleeping tasks alike.
        var nextSerial: UInt64 = 0
        /// The task sleeping until `due`, the earliest due time when it began, with its own number:
        /// a task replaced after its sleep ended learns from it that it is no longer the sleeper.
        var sleeper: (due: Duration, token: UInt64, task: Task<Void, Never>)?
    }

    /// The clock itself, for what waits in a task (a deadline).
    let clock: any Clock<Duration>
    private let timeline: Timeline
    private let state = LockedValue(State())

    init(_ clock: any Clock<Duration>) {
        self.clock = clock
        timeline = Timeline(clock)
    }

    /// How many timers are pending (for tests).
    var pendingTimers: Int { state.withLock { $0.timers.count } }

    /// Tells `wait` after `delay` what `expiry` says, unless ``cancelTimer(of:)`` comes first; a
    /// timer `wait` had is replaced.
    func schedule(_ wait: any ParkedWait, after delay: Duration, _ expiry: Expiry) {
        let key = ObjectIdentifier(wait)
        let replaced = state.withLock { state -> Task<Void, Never>? in
            state.nextSerial += 1
            let serial = state.nextSerial
            let due = timeline.now() + delay
            state.timers[key] = Timer(serial: serial, wait: wait, expiry: expiry)
            state.queue.insert(WakeUpQueue.Entry(due: due, serial: serial, key: key))
            if let sleeper = state.sleeper, sleeper.due <= due { return nil }
            let replaced = state.sleeper?.task
            sleepUntil(due, in: &state)
            return replaced
        }
        replaced?.cancel()
    }

    /// Takes back `wait`'s timer; returns the wait when the timer was pending, so that the caller
    /// ends it, or `nil` when it has fired or there was none.
    @discardableResult
    func cancelTimer(of wait: any ParkedWait) -> (any ParkedWait)? {
        cancelTimer(key: ObjectIdentifier(wait))
    }

    /// ``cancelTimer(of:)`` by the wait's identity.
    func cancelTimer(key: ObjectIdentifier) -> (any ParkedWait)? {
        let (timer, idle) = state.withLock { state -> (Timer?, Task<Void, Never>?) in
            guard let timer = state.timers.removeValue(forKey: key) else { return (nil, nil) }
            if state.timers.isEmpty {
                // Nothing left to wake: no task sleeps for the entries left behind.
                state.queue = WakeUpQueue()
                defer { state.sleeper = nil }
                return (timer, state.sleeper?.task)
            }
            // Entries left behind are dropped once they outnumber the live ones, so that waits
            // signalled long before their timeouts do not pile up.
            if state.queue.count > 64 && state.queue.count > 2 * state.timers.count {
                state.queue.removeAll { state.timers[$0.key]?.serial != $0.serial }
            }
            return (timer, nil)
        }
        idle?.cancel()
        return timer?.wait
    }

    /// Starts the task that sleeps until `due` and then fires what is due; called under the lock.
    private func sleepUntil(_ due: Duration, in state: inout State) {
        state.nextSerial += 1
        let token = state.nextSerial
        // Detached: the task that parked, whose priority and task-local values it would take, is not its owner.
        state.sleeper = (due, token, Task.detached { [self] in await self.fire(after: due, token: token) })
    }

    private func fire(after due: Duration, token: UInt64) async {
        // Cancelled: a timer due earlier came, and another task sleeps for it; or nothing is left to wake.
        guard (try? await timeline.sleep(due)) != nil else { return }
        let fired = state.withLock { state -> [Timer] in
            guard state.sleeper?.token == token else { return [] }
            state.sleeper = nil
            let now = timeline.now()
            var fired: [Timer] = []
            while let earliest = state.queue.earliest {
                let live = state.timers[earliest.key].flatMap { $0.serial == earliest.serial ? $0 : nil }
                guard live == nil || earliest.due <= now else {
                    sleepUntil(earliest.due, in: &state)
                    break
                }
                state.queue.removeEarliest()
                if let live {
                    state.timers[earliest.key] = nil
                    fired.append(live)
                }
            }
            return fired
        }
        for timer in fired { timer.fire() }
    }
}
