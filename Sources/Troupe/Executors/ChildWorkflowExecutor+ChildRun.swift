import Foundation

/// A durable parent's child workflow as a durable run of its own, so that a resumed parent finds
/// it again instead of running the child's completed nodes a second time.
extension ChildWorkflowExecutor {
    /// How a child run turned out.
    enum ChildRunOutcome {
        /// It ran (or went on) here, with this result.
        case result(WorkflowResult)
        /// It had completed before the parent resumed: its stored output (every completed node's, by id).
        case ended(JSONValue?)
    }

    /// Runs `workflow` as the child run of the `workflow` node `call` of the durable run `parent`.
    ///
    /// When an earlier process's attempt of this node was caught running by a crash with a child
    /// run, the node re-attaches to that child: a completed one gives its stored output, a failed
    /// one its error, and one still running (or paused) is resumed with its completed nodes kept
    /// and awaited. Otherwise a new child run starts. Cancelling the node cancels the child, and a
    /// parent that ends without waiting for it (at its deadline) records it cancelled with its end:
    /// a child is never started or resumed after that.
    static func childRun(
        _ workflow: PreparedWorkflow, of parent: JournaledRun, call: NodeCall, input: JSONValue, metadata: [String: String],
        runtime: WorkflowRuntime, journal: RunJournal
    ) async throws -> ChildRunOutcome {
        let store = journal.store
        // The attempt link, inside the pipeline, has numbered this attempt already.
        let number = parent.latestAttempt(of: call.nodeID)
        let earlier = try await earlierChild(of: call.nodeID, attempt: number, callAttempt: call.attempt, parent: parent.id, store: store)
        let child: RunID
        // A new child's record and definition, inserted once it is attached.
        var new: (record: RunRecord, definition: DefinitionRecord)?
        if let earlier {
            child = earlier.id
        } else {
            guard let definition = workflow.definitionRecord else { throw StoreError(type: "NoStore", message: "the child workflow has no record") }
            var record = journal.newRun(of: workflow, input: input, metadata: metadata, idempotencyKey: nil)
            record.parentRunID = parent.id
            (child, new) = (record.id, (record, definition))
        }
        // Waited for from here: a parent that ends first (at its deadline) records the child
        // cancelled with its end and cancels its live instance.
        let waiting = earlier.map { !$0.status.isTerminal } ?? true
        guard parent.attach(child: child, to: call.nodeID, attempt: number, waiting: waiting) else {
            // The parent stopped this attempt or ended first: an unfinished child an earlier process left ends with it.
            if earlier != nil, waiting {
                store.submit([parent.abandoned(child, by: call.nodeID)])
                journal.instance(running: child).flatMap(runtime.instance(_:))?.cancel()
            }
            throw CancellationError()
        }
        defer { parent.stopWaiting(for: child) }
        // Submitted before a new child is inserted, and writes commit in order: a stored child
        // run is always named by its parent's attempt row, so a resumed parent finds it.
        store.submit([.attempt(attemptRow(parent: parent.id, node: call.nodeID, attempt: number, child: child))])
        let handle: WorkflowHandle
        switch (earlier, new) {
        case (let earlier?, _):
            switch earlier.status {
            case .completed:
                return .ended(earlier.output)
            case .failed, .cancelled, .timedOut:
                throw ExecutionError(
                    type: "ChildWorkflow", message: "child workflow \(earlier.workflowID) \(earlier.status.rawValue): \(earlier.error ?? "")",
                    details: [
                        "run": .string(child.rawValue), "status": .string(earlier.status.rawValue),
                        "errorType": earlier.errorType.map(JSONValue.string) ?? .null,
                    ])
            case .running, .paused, .blocked:
                if let live = journal.instance(running: child).flatMap(runtime.instance(_:)) {
                    handle = live
                    if !parent.follow(liveChild: live.instance.control, of: child) { live.cancel() }
                } else {
                    do {
                        handle = try await runtime.resume(child, following: { parent.follow(liveChild: $0, of: child) })
                    } catch {
                        // Resuming may have set it `running` after the parent's end recorded it cancelled.
                        if !parent.isWaiting(for: child) { store.submit([parent.abandoned(child, by: call.nodeID)]) }
                        throw error
                    }
                }
            }
        case (nil, let (record, definition)?):
            _ = try await store.insert(record, definition: definition)
            // Its attempt was abandoned meanwhile (timed out, say): the child is not started.
            if Task.isCancelled {
                store.submit([parent.abandoned(child, by: call.nodeID)])
                throw CancellationError()
            }
            let details: JSONValue = ["workflow": .string(record.workflowID), "parent": .string(parent.id.rawValue)]
            handle = runtime.launch(workflow, input: input, metadata: metadata, run: JournaledRun(id: child, nodeCount: record.nodeCount)) { run, control in
                // Before the child runs a node: a parent that ended in the meantime cancels it.
                if !parent.follow(liveChild: control, of: child) { control.cancel() }
                run.submit(to: store, entry: "runStarted", details: details)
            }
        case (nil, nil):
            throw StoreError(type: "NoStore", message: "the child workflow has no record")
        }
        await withTaskCancellationHandler {
            await handle.instance.control.waitUntilFinished()
        } onCancel: {
            // Recorded at once, even when the child's code does not stop or the process exits
            // first. A parent that ends without waiting records it with its end
            // (``JournaledRun/submitEnd(status:_:handing:)``): this handler may run only after that end.
            store.submit([parent.abandoned(child, by: call.nodeID)])
            handle.cancel()
        }
        // Finished: the result is there even for a cancelled task.
        guard let result = try? await handle.result else { throw CancellationError() }
        if Task.isCancelled {
            // The child's own end came after the write above, or before it: record how it really
            // ended, keeping the reason when it was cancelled.
            store.submit([result.status == .cancelled ? parent.abandoned(child, by: call.nodeID) : ended(child, result)])
        }
        return .result(result)
    }

    /// The write that records how the child run `id` ended, as its own journal records it.
    private static func ended(_ id: RunID, _ result: WorkflowResult) -> StoreWrite {
        var outputs: [String: JSONValue] = [:]
        for (node, report) in result.nodes where report.status == .completed { outputs[node] = report.output ?? .null }
        return .status(id, RunStatus(result.status), output: .object(outputs), error: result.error, errorType: result.errorType)
    }

    /// The child run of this node's latest earlier attempts that a crash caught running; `nil`
    /// when an attempt ended (failed, cancelled) since: the next attempt starts a child of its own.
    private static func earlierChild(
        of node: String, attempt: Int, callAttempt: Int, parent: RunID, store: any RunStore
    ) async throws -> RunRecord? {
        // Only a node numbered on from an earlier process's attempts can have left a child behind.
        guard attempt > callAttempt else { return nil }
        let earlier = try await store.attempts(of: parent).filter { $0.nodeID == node && $0.attempt < attempt }
        for row in earlier.sorted(by: { $0.attempt > $1.attempt }) {
            guard row.status == .running else { return nil }
            // A crash before an attempt's row named the child leaves the child named by an older one.
            if let child = row.childRunID { return try await store.run(child) }
        }
        return nil
    }

    private static func attemptRow(parent: RunID, node: String, attempt: Int, child: RunID) -> NodeAttemptRecord {
        NodeAttemptRecord(runID: parent, nodeID: node, attempt: attempt, status: .running, startedAt: Date(), childRunID: child)
    }
}
