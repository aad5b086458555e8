import Foundation

/// Child runs end with their parent run: a child is run only for its parent's `workflow` node,
/// so one left unfinished by a parent that ended would otherwise stay `running` for good.
extension RunStore {
    /// Cancels the child runs of `parent`, which ended `status`, that have not ended, and theirs,
    /// each with a reason naming its parent: at once when no live process owns it, else by asking
    /// the process that does (``RunRecord/request``). Returns the runs it cancelled or asked to
    /// cancel, each with whether it asked their owner.
    @_spi(Development) public func cancelUnfinishedChildren(
        of parent: RunID, endedAs status: RunStatus
    ) async throws -> [(run: RunID, askedItsOwner: Bool)] {
        var cancelled: [(run: RunID, askedItsOwner: Bool)] = []
        var seen: Set<RunID> = [parent]
        var parents = [(parent, status)]
        while let (run, ended) = parents.popLast() {
            // A child run is named by its parent's `workflow` node's attempt rows.
            for id in try await attempts(of: run).compactMap(\.childRunID) where seen.insert(id).inserted {
                guard let child = try await self.run(id), !child.status.isTerminal else { continue }
                if child.status == .running, try await claimOrphanedRuns([id]).isEmpty {
                    // Its owner cancels it, and its node cancels the child's own children.
                    try await commit([.request(id, "cancel")])
                    cancelled.append((id, true))
                } else {
                    let reason = "cancelled because its parent run \(run) ended \(ended.rawValue)"
                    try await commit([.status(id, .cancelled, error: reason, errorType: "ParentEnded")])
                    parents.append((id, .cancelled))
                    cancelled.append((id, false))
                }
            }
        }
        return cancelled
    }
}
