import Troupe

/// A workflow shape prepared once in a runtime of its own, whose nodes all run ``AddNode``.
struct TroupeWorkload: MeasuredWorkload {
    /// The workflow's shape.
    let shape: WorkflowShape
    /// The runtime that runs the instances.
    let runtime: WorkflowRuntime
    /// The workflow, prepared once for every instance.
    let prepared: PreparedWorkflow

    /// Prepares `shape` in `runtime`, which must not have the ``AddNode`` kinds yet, with `interceptors`
    /// around every node, outermost first; its nodes are ``AddNode/asyncKind`` when `asyncNodes`, else ``AddNode/kind``.
    init(
        shape: WorkflowShape, asyncNodes: Bool = false, runtime: WorkflowRuntime = WorkflowRuntime(), interceptors: [any NodeInterceptor] = []
    ) throws {
        self.shape = shape
        self.runtime = runtime
        try AddNode.register(in: runtime)
        for interceptor in interceptors { runtime.use(interceptor) }
        prepared = try runtime.prepare(shape.definition(kind: asyncNodes ? AddNode.asyncKind : AddNode.kind))
    }

    func run(input: Int) async -> Int? {
        let result = await runtime.run(prepared, input: .integer(input))
        return result.nodes[shape.exitNodeID]?.output?.integerValue
    }
}
