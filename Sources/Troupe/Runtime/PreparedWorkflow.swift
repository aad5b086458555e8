/// A validated workflow with its graph indexed and every node's interceptor chain composed,
/// ready to start many instances without repeating that work.
public final class PreparedWorkflow: Sendable {
    /// The definition it was prepared from.
    public let definition: WorkflowDefinition
    let plan: ExecutionPlan
    let pipelines: [NodePipeline]
    /// The signal each `wait` node receives, by node index; empty when the workflow has none.
    let signalByNode: [Int: String]
    /// How many `wait` nodes receive each signal name: every instance's mailbox starts from this one
    /// copy, and copies it only when one of those nodes ends.
    let waitNodeCounts: [String: Int]
    /// The `wait` nodes that receive one signal at most (no interceptor could call them again), by id.
    let waitingOnceNodes: Set<String>
    /// Whether some node may park its instance (``NodePipeline/parking``).
    let hasParkingNodes: Bool
    /// The workflow interceptor chain, composed once; `nil` when there is none, so instances go straight to their nodes.
    let workflowHandler: (any WorkflowHandler)?
    /// The plugin generations whose components the chains use, held until this is released.
    let pluginGenerations: [PluginGeneration]
    /// The definition as a durable runtime records it, with the components it resolved to; set on ``durable`` only.
    let definitionRecord: DefinitionRecord?
    /// The same workflow with the journal's links in every pipeline,
    /// which a runtime with a store starts its runs from; `nil` without a store.
    let durable: PreparedWorkflow?

    init(
        definition: WorkflowDefinition, plan: ExecutionPlan, pipelines: [NodePipeline], signalByNode: [Int: String],
        workflowInterceptors: [any WorkflowInterceptor], pluginGenerations: [PluginGeneration], definitionRecord: DefinitionRecord? = nil,
        durable: PreparedWorkflow? = nil
    ) {
        self.definitionRecord = definitionRecord
        self.durable = durable
        self.definition = definition
        self.plan = plan
        self.pipelines = pipelines
        hasParkingNodes = pipelines.contains { $0.parking != nil }
        self.signalByNode = signalByNode
        waitNodeCounts = signalByNode.values.reduce(into: [:]) { counts, name in counts[name, default: 0] += 1 }
        var waitingOnceNodes: Set<String> = []
        for index in signalByNode.keys {
            // A `wait` node keeps its parking only when nothing intercepts it.
            if case .signal = pipelines[index].parking { waitingOnceNodes.insert(plan.nodeIDs[index]) }
        }
        self.waitingOnceNodes = waitingOnceNodes
        var handler: (any WorkflowHandler)?
        if !workflowInterceptors.isEmpty {
            handler = workflowInterceptors.reversed().reduce(NodesHandler() as any WorkflowHandler) {
                WorkflowInterceptorLink(interceptor: $1, next: $0)
            }
        }
        self.workflowHandler = handler
        self.pluginGenerations = pluginGenerations
        for generation in pluginGenerations { generation.hold() }
    }

    deinit {
        for generation in pluginGenerations { generation.release() }
    }
}
