/// A validated workflow with its graph indexed and every node's interceptor chain composed,
/// ready to start many instances without repeating that work.
public final class PreparedWorkflow: Sendable {
    /// The definition it was prepared from.
    public let definition: WorkflowDefinition
    let plan: ExecutionPlan
    let pipelines: [NodePipeline]
    let workflowInterceptors: [any WorkflowInterceptor]
    /// The plugin generations whose components the chains use, kept alive until every instance ends.
    let pluginGenerations: [PluginGeneration]

    init(
        definition: WorkflowDefinition, plan: ExecutionPlan, pipelines: [NodePipeline],
        workflowInterceptors: [any WorkflowInterceptor], pluginGenerations: [PluginGeneration]
    ) {
        self.definition = definition
        self.plan = plan
        self.pipelines = pipelines
        self.workflowInterceptors = workflowInterceptors
        self.pluginGenerations = pluginGenerations
    }
}
