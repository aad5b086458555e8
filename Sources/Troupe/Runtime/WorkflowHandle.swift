/// A host's hold on one running instance: its result, its events, and pause, resume and cancel.
public struct WorkflowHandle: Sendable {
    /// The instance's id.
    public var id: InstanceID { instance.id }
    let instance: WorkflowInstance
    let task: Task<WorkflowResult, Never>

    /// The instance's result, once it has ended.
    public var result: WorkflowResult {
        get async { await task.value }
    }

    /// Every event of the instance from its start, then live ones; finishes after the final event.
    public var events: AsyncStream<WorkflowEvent> { instance.log.subscribe() }

    /// The instance's current status.
    public var status: InstanceStatus {
        get async { await instance.currentStatus }
    }

    /// Cancels running nodes' work and marks the nodes not yet started as cancelled.
    public func cancel() {
        instance.control.requestStop(.cancelled)
        task.cancel()
    }

    /// Lets running nodes finish and starts no new ones until ``resume()``.
    public func pause() async { await instance.pause() }

    /// Starts nodes again after ``pause()``.
    public func resume() async { await instance.resume() }
}
