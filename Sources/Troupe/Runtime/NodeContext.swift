/// The node running in the current task, so the built-in retry interceptor, shared by every
/// instance of a workflow, can report retries to the right node.
enum NodeContext {
    @TaskLocal static var current: NodeActor?
}
