/// The instances a runtime started with `start` that have not ended, and whether it has shut down.
struct StartedInstances {
    var instances: [InstanceID: WorkflowInstance] = [:]
    var isShutDown = false

    /// Lists an instance; returns `false`, listing nothing, once the runtime has shut down.
    mutating func add(_ instance: WorkflowInstance) -> Bool {
        guard !isShutDown else { return false }
        instances[instance.id] = instance
        return true
    }

    mutating func remove(_ id: InstanceID) {
        instances.removeValue(forKey: id)
    }
}
