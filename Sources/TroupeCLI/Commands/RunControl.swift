@_spi(Development) import Troupe

/// `troupe cancel RUN` and `troupe pause RUN`: a run owned by a live process is asked (the request
/// is recorded in its row, and that process honours it); one without a live owner is changed here.
struct RunControl: Sendable {
    /// `cancel` or `pause`.
    let action: String
    let store: StoreSelection
    let id: RunID

    func run() async -> ExitStatus {
        await store.using(for: action) { store in
            guard let run = try await store.run(id) else {
                Console.error("troupe \(action): no run \(id) in \(store.path)")
                return .failure
            }
            let allowed: Set<RunStatus> = action == "cancel" ? [.running, .paused, .blocked] : [.running]
            guard allowed.contains(run.status) else {
                Console.error("troupe \(action): run \(id) is \(run.status.rawValue)")
                return .failure
            }
            // Claiming succeeds only when no live process owns the run; then the change is ours to make.
            let ownedHere = run.status == .running ? try await !store.claimOrphanedRuns([id]).isEmpty : true
            if ownedHere {
                try await store.commit([.status(id, action == "cancel" ? .cancelled : .paused, error: action == "cancel" ? "cancelled" : nil)])
                Console.output("\(action == "cancel" ? "cancelled" : "paused") \(id)")
                // Its child runs end with it; a paused run's stay for its nodes to re-attach to.
                if action == "cancel" {
                    for child in try await store.cancelUnfinishedChildren(of: id, endedAs: .cancelled) {
                        Console.output(
                            child.askedItsOwner
                                ? "asked the process that runs child run \(child.run) to cancel it" : "cancelled child run \(child.run)")
                    }
                }
            } else {
                try await store.commit([.request(id, action)])
                Console.output("asked the process running \(id) to \(action) it")
            }
            return .success
        }
    }
}
