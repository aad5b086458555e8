/// Honours what other processes record in the store for the durable runs a runtime owns: a
/// `cancel` or `pause` request (``RunRecord/request``) and pending signals (``RunSignalRecord``).
///
/// One watcher serves the whole runtime: each poll is one query for the runs this store owns that
/// have something pending, however many runs are in flight. It polls only while the runtime has
/// durable runs running, and stops for good when the runtime shuts down.
final class RunRequestWatcher: Sendable {
    private struct State {
        var running = 0
        var task: Task<Void, Never>?
        var stopped = false
        /// Whether a poll is under way, and the polls waiting for it to end: polls run one at a
        /// time, or two could deliver the same pending signal before either marked it delivered.
        var polling = false
        var waitingPolls: [CheckedContinuation<Void, Never>] = []
    }

    /// How long it waits between polls.
    let interval: Duration
    private let journal: RunJournal
    /// The handle of the instance that runs a run in this runtime, if one does.
    private let handle: @Sendable (RunID) -> WorkflowHandle?
    private let state = LockedValue(State())

    init(journal: RunJournal, interval: Duration, handle: @escaping @Sendable (RunID) -> WorkflowHandle?) {
        self.journal = journal
        self.interval = interval
        self.handle = handle
    }

    /// Whether it is polling now.
    var isWatching: Bool { state.withLock { $0.task != nil } }

    /// A durable run of the runtime started or resumed: polling starts with the first.
    func runStarted() {
        state.withLock { state in
            state.running += 1
            guard state.task == nil, !state.stopped else { return }
            let interval = interval
            state.task = Task { [weak self] in
                // Polls on the wall clock whatever clock the runtime's nodes wait on: a virtual
                // clock in a test must not see a sleeper of the runtime's own.
                while (try? await ContinuousClock().sleep(for: interval)) != nil {
                    guard let self else { return }
                    try? await self.poll()
                }
            }
        }
    }

    /// A durable run of the runtime ended: polling stops with the last.
    func runEnded() {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.running -= 1
            guard state.running == 0 else { return nil }
            defer { state.task = nil }
            return state.task
        }
        task?.cancel()
    }

    /// Stops polling for good: the runtime shut down.
    func stop() {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.stopped = true
            defer { state.task = nil }
            return state.task
        }
        task?.cancel()
    }

    /// Reads once what is pending for this store's runs and honours it: cancels or pauses the run,
    /// delivers its pending signals; a request is then cleared. A run that no instance of this
    /// runtime runs (another runtime on the same store) is left for that one.
    func poll() async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                guard state.polling else {
                    state.polling = true
                    return true
                }
                state.waitingPolls.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        defer {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard !state.waitingPolls.isEmpty else {
                    state.polling = false
                    return nil
                }
                return state.waitingPolls.removeFirst()
            }
            next?.resume()
        }
        let store = journal.store
        let runs = try await store.runs(RunQuery(owner: store.owner, hasPendingRequests: true, limit: 1000))
        for run in runs {
            guard let handle = handle(run.id) else { continue }
            if let request = run.request {
                switch request {
                case "cancel": handle.cancel()
                case "pause": await handle.pause()
                default: break
                }
                // Only this request: a later one (a cancel right after a pause) stays for the next poll.
                try await store.commit([.clearRequest(run.id, request)])
            }
            // Delivered in the order they were recorded, each marked delivered just before it is
            // delivered: the mark is then submitted before the run it completes can end, so it
            // commits with or before the end (writes commit in order), even when the process closes
            // the store as soon as the run ends. Marked after the delivery, it could come after the
            // close and be lost, the signal left `pending`. A refused one is marked again. A crash
            // before the commit leaves them pending, and one after a mark whose delivery did not
            // complete its node is delivered again to the resumed run (`replaySignals`). A crash
            // between a refused signal's two marks leaves it `delivered`, which is harmless: resuming
            // counts it, in order, towards the signals completed `wait` nodes took just as it counts
            // a `pending` one (what a crash just before the first mark leaves, as any crash may), so
            // every other signal is replayed the same; untaken, it goes back to `pending`, and the
            // resumed run's `wait` nodes take or refuse it afresh.
            var delivered = false
            for signal in run.signals where signal.status == .pending {
                store.submit([.signalStatus(id: signal.id, .delivered)])
                if !handle.signal(signal.name, signal.value) { store.submit([.signalStatus(id: signal.id, .refused)]) }
                delivered = true
            }
            if delivered { try await store.commit([]) }
        }
    }
}
