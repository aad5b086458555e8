/// One instance's signals: those the host sent that no `wait` node has received yet, and the
/// `wait` nodes suspended until one comes.
///
/// A signal goes to the node waiting longest for its name; when none waits, it is kept for the
/// next one that does, as long as some `wait` node for that name may still receive one (more
/// signals than such nodes are refused). A node that waits once (``init(signalByNode:openNodes:waitingOnce:log:)``)
/// may receive none once its wait has ended, by a signal, its timeout or a stop, even before the
/// node ends: a signal sent while its end is recorded is refused, rather than accepted and then
/// dropped as the node ends. Waiting holds only a continuation here, or, for a node that parks its
/// instance (``park(_:node:wait:)``), a reference to it: no task, and no timer unless the node has a
/// timeout (then one entry in the ``RuntimeClock`` for a parked node).
///
/// A struct around its lock, not a class: copies share the one state, and the instance and the
/// board hold it without a further object in between (a parked instance is what it holds).
struct SignalMailbox: Sendable {
    private struct Waiter {
        /// Who is told how the wait ended, once, outside the lock.
        enum Resumption {
            /// A node waiting in its task, which records its `nodeSignalled` itself.
            case continuation(CheckedContinuation<JSONValue, any Error>)
            /// A parked wait, whose `nodeSignalled` the mailbox records as it delivers the signal,
            /// telling the wait right after (``ParkedWait/recorded(_:node:signal:)``).
            case parked(any ParkedWait)
        }

        let id: UInt64
        let name: String
        /// The waiting node's id.
        let node: String
        let resumption: Resumption

        func resume(_ result: Result<JSONValue, any Error>) {
            switch resumption {
            case .continuation(let continuation): continuation.resume(with: result)
            case .parked(let wait): wait.waitEnded(result)
            }
        }
    }

    /// How ``park(_:node:wait:)`` went.
    enum Parking {
        /// A signal was kept for the node: it has received it.
        case received(JSONValue)
        /// The node waits; `id` withdraws it.
        case parked(id: UInt64)
        /// The instance has ended: no signal can come.
        case closed
    }

    private struct State {
        var kept: [String: [JSONValue]] = [:]
        /// Oldest first. One list, not one per name: an instance has few waits at once, and a
        /// parked instance then holds one small allocation for its wait rather than a dictionary too.
        var waiters: [Waiter] = []
        /// For each signal name, how many of its `wait` nodes may still receive one: those that have
        /// not ended, less those that wait once and whose wait has ended.
        var openNodes: [String: Int]
        /// The nodes that wait once and whose wait has ended, counted out of `openNodes` before the node ends.
        var countedOut: Set<String> = []
        /// Waiters cancelled before their continuation was stored, which must then not be stored.
        var cancelled: Set<UInt64> = []
        var nextID: UInt64 = 0
        var closed = false
    }

    /// The signal name of each `wait` node, by its index in the plan.
    let signalByNode: [Int: String]
    /// The `wait` nodes that receive one signal at most: those with no interceptor, which could
    /// call the node again (a retry after a failure).
    private let waitingOnce: Set<String>
    private let log: EventLog
    private let state: LockedValue<State>

    /// `openNodes` counts the `wait` nodes of each signal name in `signalByNode`.
    init(signalByNode: [Int: String], openNodes: [String: Int], waitingOnce: Set<String>, log: EventLog) {
        self.signalByNode = signalByNode
        self.waitingOnce = waitingOnce
        self.log = log
        state = LockedValue(State(openNodes: openNodes))
    }

    /// Counts out `node`, whose wait for a signal called `name` has ended, when it waits once; called under the lock.
    private func countOut(_ node: String, _ name: String, in state: inout State) {
        guard waitingOnce.contains(node), state.countedOut.insert(node).inserted else { return }
        state.openNodes[name, default: 0] -= 1
    }

    /// Delivers a signal; returns whether a `wait` node receives it, now or when it starts waiting.
    func deliver(_ name: String, value: JSONValue) -> Bool {
        let (delivered, waiter) = state.withLock { state -> (Bool, Waiter?) in
            guard !state.closed else { return (false, nil) }
            if let position = state.waiters.firstIndex(where: { $0.name == name }) {
                let waiter = state.waiters.remove(at: position)
                countOut(waiter.node, name, in: &state)
                return (true, waiter)
            }
            guard state.openNodes[name, default: 0] > state.kept[name, default: []].count else { return (false, nil) }
            state.kept[name, default: []].append(value)
            return (true, nil)
        }
        if let waiter, case .parked(let wait) = waiter.resumption {
            let node = waiter.node
            log.appendNodeEvent(.nodeSignalled(node: node, signal: name))
            wait.recorded("nodeSignalled", node: node, signal: name)
        }
        waiter?.resume(.success(value))
        return delivered
    }

    /// The next signal called `name` for the `wait` node `node`: one kept already, or the next
    /// delivered. Throws ``SignalTimeout`` past `timeout` (on `clock`), and `CancellationError` when
    /// the calling task is cancelled or the instance has ended first.
    ///
    /// `record` is told `nodeWaiting` and `nodeSignalled` right after each is appended to the log
    /// (a durable run's history records them where the live events have them).
    func receive(
        _ name: String, node: String, timeout: Duration?, clock: any Clock<Duration>, record: (@Sendable (_ kind: String) -> Void)? = nil
    ) async throws -> JSONValue {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        // Only a node with a timeout pays for a timer.
        let timer = timeout.map { _ in LockedValue<Task<Void, Never>?>(nil) }
        defer {
            timer?.withLock { $0 }?.cancel()
            // A cancellation that came after the signal left a mark that no waiter will clear.
            state.withLock { _ = $0.cancelled.remove(id) }
        }
        let value = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue, any Error>) in
                let now = state.withLock { state -> Result<JSONValue, any Error>? in
                    if state.cancelled.remove(id) != nil || state.closed { return .failure(CancellationError()) }
                    if var kept = state.kept[name], !kept.isEmpty {
                        let value = kept.removeFirst()
                        state.kept[name] = kept
                        countOut(node, name, in: &state)
                        return .success(value)
                    }
                    state.waiters.append(Waiter(id: id, name: name, node: node, resumption: .continuation(continuation)))
                    return nil
                }
                if let now {
                    continuation.resume(with: now)
                    return
                }
                log.appendNodeEvent(.nodeWaiting(node: node, signal: name))
                record?("nodeWaiting")
                guard let timeout, let timer else { return }
                // Started once the waiter is stored, so a timeout always finds it or finds it already resumed.
                timer.withLock { task in
                    task = Task { [self] in
                        guard (try? await clock.sleep(for: timeout)) != nil else { return }
                        withdraw(id, error: SignalTimeout(node: node, signal: name, timeout: timeout), stored: true)
                    }
                }
            }
        } onCancel: {
            withdraw(id, error: CancellationError(), stored: false)
        }
        log.appendNodeEvent(.nodeSignalled(node: node, signal: name))
        record?("nodeSignalled")
        return value
    }

    /// Waits for the next signal called `name` for the `wait` node `node` without a task: a kept
    /// signal is received at once; otherwise `wait` is kept and told, from whichever thread
    /// delivers the signal or ends the wait (``withdraw(_:)``, ``timeOut(_:with:)``, ``close()``), exactly once.
    /// `wait` is told of its `nodeWaiting` and `nodeSignalled` events as each is recorded
    /// (``ParkedWait/recorded(_:node:signal:)``).
    func park(_ name: String, node: String, wait: any ParkedWait) -> Parking {
        let parking = state.withLock { state -> Parking in
            if state.closed { return .closed }
            if var kept = state.kept[name], !kept.isEmpty {
                let value = kept.removeFirst()
                state.kept[name] = kept
                countOut(node, name, in: &state)
                return .received(value)
            }
            state.nextID += 1
            let id = state.nextID
            state.waiters.append(Waiter(id: id, name: name, node: node, resumption: .parked(wait)))
            // Under the lock, so that the event, and its record, come before the signal's.
            log.appendNodeEvent(.nodeWaiting(node: node, signal: name))
            wait.recorded("nodeWaiting", node: node, signal: name)
            return .parked(id: id)
        }
        if case .received = parking {
            log.appendNodeEvent(.nodeSignalled(node: node, signal: name))
            wait.recorded("nodeSignalled", node: node, signal: name)
        }
        return parking
    }

    /// Ends a parked wait with `CancellationError`, if it is still waiting.
    func withdraw(_ id: UInt64) {
        withdraw(id, error: CancellationError(), stored: true)
    }

    /// Ends parked waiter `id`'s wait with `error`, its timeout, if it is still waiting.
    func timeOut(_ id: UInt64, with error: SignalTimeout) {
        withdraw(id, error: error, stored: true)
    }

    /// Ends the wait of waiter `id` with `error`, if it is still waiting: its timeout, or its
    /// cancellation, which may come before the waiter is stored (`stored` false) and must then stop it being stored.
    private func withdraw(_ id: UInt64, error: any Error, stored: Bool) {
        let waiter = state.withLock { state -> Waiter? in
            if let position = state.waiters.firstIndex(where: { $0.id == id }) {
                let waiter = state.waiters.remove(at: position)
                countOut(waiter.node, waiter.name, in: &state)
                return waiter
            }
            if !stored { state.cancelled.insert(id) }
            return nil
        }
        waiter?.resume(.failure(error))
    }

    /// Records that the `wait` node at `index`, `node`, ended, so that signals no node can receive are refused.
    func nodeEnded(_ index: Int, node: String) {
        guard let name = signalByNode[index] else { return }
        state.withLock { state in
            // A node that waits once was counted out as its wait ended.
            if state.countedOut.remove(node) == nil { state.openNodes[name, default: 0] -= 1 }
            let open = max(0, state.openNodes[name, default: 0])
            if var kept = state.kept[name], kept.count > open {
                kept.removeLast(kept.count - open)
                state.kept[name] = kept
            }
        }
    }

    /// Refuses every later signal and ends every wait still pending: the instance has ended.
    func close() {
        let waiters = state.withLock { state -> [Waiter] in
            state.closed = true
            state.kept = [:]
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(.failure(CancellationError())) }
    }
}
