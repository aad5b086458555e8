import Foundation

/// Signals for stored runs, wherever they run: recorded in the store before they are delivered,
/// so that a crash of the run's process loses none.
extension WorkflowRuntime {
    /// Sends the signal `name` with `value` to the `wait` nodes of the stored run `run`: delivered
    /// here when this runtime runs it, otherwise recorded for the process that owns it (whose
    /// request watcher delivers it) or, for a run that no live process owns, for the one that
    /// resumes it.
    ///
    /// The signal stays in the store: a run resumed after a crash gets again every signal that no
    /// completed `wait` node took. Throws a ``StoreError`` naming the run or the signal when the run
    /// is unknown (`UnknownRun`), has ended (`NotRunning`), has no `wait` node for `name`
    /// (`UnknownSignal`), or runs here and none of those nodes can take it (`SignalRefused`).
    public func signal(_ run: RunID, _ name: String, _ value: JSONValue = .null) async throws -> SignalDelivery {
        guard let journal else { throw StoreError(type: "NoStore", message: "this runtime has no store (WorkflowRuntime(store:))") }
        let store = journal.store
        guard let record = try await store.run(run) else { throw StoreError(type: "UnknownRun", message: "no run \(run) in the store") }
        guard record.status == .running || record.status == .paused else {
            throw StoreError(type: "NotRunning", message: "run \(run) is \(record.status.rawValue): only a running or paused run takes signals")
        }
        let names = try await Self.signalNames(of: record, in: store)
        guard names.contains(name) else {
            let known = names.isEmpty ? "it has no wait node" : "its wait nodes take " + names.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            throw StoreError(
                type: "UnknownSignal", message: "run \(run) (workflow \(record.workflowID)) has no wait node for signal \"\(name)\": \(known)")
        }
        guard let handle = journal.instance(running: run).flatMap(instance(_:)) else {
            try await store.commit([.signal(RunSignalRecord(runID: run, name: name, value: value))])
            return .recorded
        }
        // Recorded before the node can take it: a crash between the two loses nothing.
        let signal = RunSignalRecord(runID: run, name: name, value: value, status: .delivered)
        try await store.commit([.signal(signal)])
        guard handle.signal(name, value) else {
            try await store.commit([.signalStatus(id: signal.id, .refused)])
            throw StoreError(
                type: "SignalRefused", message: "run \(run): no wait node for signal \"\(name)\" can take it (each has ended or has one kept)")
        }
        return .delivered
    }

    /// The signal names of the `wait` nodes of `run`'s stored definition.
    private static func signalNames(of run: RunRecord, in store: any RunStore) async throws -> Set<String> {
        guard let stored = try await store.definition(run.definitionHash) else {
            throw StoreError(type: "Corrupt", message: "run \(run.id): its definition \(run.definitionHash) is not in the store")
        }
        let definition: WorkflowDefinition
        do {
            definition = try WorkflowDefinition(json: stored.json)
        } catch {
            throw StoreError(type: "Corrupt", message: "run \(run.id): its stored definition does not read: \(error)")
        }
        var names: Set<String> = []
        for node in definition.nodes where node.kind.split(separator: "@").first == "wait" {
            if let config = WaitConfig.read(node.config, nodeID: node.id, at: "").config { names.insert(config.signal) }
        }
        return names
    }

    /// Before a stored run resumes: its signals that no restored (completed) `wait` node took go
    /// back to `pending`, for the request watcher to deliver to the resumed instance.
    ///
    /// A `wait` node takes signals of its name in the order they were recorded, so the first of
    /// each name, as many as that name's completed nodes, are the taken ones.
    func replaySignals(of run: RunRecord, workflow: PreparedWorkflow, restored: [Int: NodeReport]) async throws {
        guard let store, !run.signals.isEmpty else { return }
        var taken: [String: Int] = [:]
        for (index, name) in workflow.signalByNode where restored[index] != nil { taken[name, default: 0] += 1 }
        var writes: [StoreWrite] = []
        for signal in run.signals where signal.status != .refused {
            if let count = taken[signal.name], count > 0 {
                taken[signal.name] = count - 1
            } else if signal.status == .delivered {
                writes.append(.signalStatus(id: signal.id, .pending))
            }
        }
        if !writes.isEmpty { try await store.commit(writes) }
    }
}
