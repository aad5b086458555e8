/// A host's hold on one running instance: its result, its events, and pause, resume and cancel.
public struct WorkflowHandle: Sendable {
    /// The instance's id.
    public var id: InstanceID { instance.id }
    let instance: WorkflowInstance
    /// The durable run's id, when the runtime has a store (see ``WorkflowRuntime/init(registry:clock:store:)``).
    public let runID: RunID?
    /// What a resumed run's `events` replay first.
    let history: StoredHistory?

    init(instance: WorkflowInstance, run: JournaledRun? = nil) {
        self.instance = instance
        self.runID = run?.id
        self.history = run?.history
    }

    /// The instance's result, once it has ended.
    ///
    /// Throws `CancellationError` when the *waiting* task is cancelled first; the instance goes on.
    public var result: WorkflowResult {
        get async throws(CancellationError) { try await instance.control.result() }
    }

    /// Every event of the instance from its start, then live ones; finishes after the final event.
    ///
    /// A resumed durable run's stream starts with the run's stored history (its sequence numbers,
    /// dates, nodes and attempts, each process's start as `instanceStarted`), read from the store
    /// when the stream is made; its live events number on from there, with no gap.
    public var events: AsyncStream<WorkflowEvent> {
        let live = instance.log.subscribe()
        guard let history else { return live }
        return history.replay(then: live, instance: instance.id)
    }

    /// The instance's current status.
    public var status: InstanceStatus {
        get async { await instance.currentStatus }
    }

    /// Cancels running nodes' work and marks the nodes not yet started as cancelled.
    ///
    /// Cancellation is cooperative: a Swift closure that ignores it ends when it returns; a `shell`
    /// node's process group is killed.
    public func cancel() {
        instance.control.cancel()
    }

    /// Lets running nodes finish and starts no new ones until ``resume()``; an instance that has not
    /// started yet pauses as it starts. Returns whether the pause took effect (`false` once it has ended or is paused).
    @discardableResult
    public func pause() async -> Bool { await instance.pause() }

    /// Sends the signal `name` with `value` to the instance's `wait` nodes for that name; returns
    /// whether one receives it.
    ///
    /// The node waiting longest receives it; when none waits, it is kept for the next one that does
    /// (a signal may arrive before its node starts). It is refused (`false`) once the instance has
    /// ended, when it has no `wait` node for `name`, or when every such node that has not ended
    /// already has a signal kept for it. A paused instance still delivers it: the node completes,
    /// and its successors start on ``resume()``.
    @discardableResult
    public func signal(_ name: String, _ value: JSONValue = .null) -> Bool {
        instance.signals?.deliver(name, value: value) ?? false
    }

    /// Starts nodes again after ``pause()``; returns whether the instance was paused.
    @discardableResult
    public func resume() async -> Bool { await instance.resume() }
}
