/// One node's interceptor chain, composed once when a workflow is prepared and shared by its instances.
struct NodePipeline: Sendable {
    let handler: any NodeHandler
    let kind: String
    let config: JSONValue
    /// Whether the node can run in the instance's own task instead of a new one: its executor and
    /// every interceptor of its chain never suspend.
    let runsInline: Bool
}
