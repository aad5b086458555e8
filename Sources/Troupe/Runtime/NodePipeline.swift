/// One node's interceptor chain, composed once when a workflow is prepared and shared by its instances.
///
/// A class, so that the scheduler reads a node's pipeline with one retain: as a struct holding
/// plugin-API values of unknown layout, every read copied it field by field.
final class NodePipeline: Sendable {
    let handler: any NodeHandler
    let kind: String
    let config: JSONValue
    /// Whether the node can run in the instance's own task instead of a new one: its executor and
    /// every interceptor of its chain never suspend.
    let runsInline: Bool
    /// The host's closure when nothing intercepts the node: its node actor calls it directly, since
    /// the chain's protocol methods would take it off the actor and back for nothing.
    let body: ClosureExecutor.Body?
    /// How the node waits when its instance parks there, holding no task until the wait ends: a
    /// `wait` or `sleep` node with no interceptors, or a node whose outermost interceptor is the runtime's retry.
    let parking: NodeParking?

    init(
        handler: any NodeHandler, kind: String, config: JSONValue, runsInline: Bool, body: ClosureExecutor.Body? = nil, parking: NodeParking? = nil
    ) {
        self.handler = handler
        self.kind = kind
        self.config = config
        self.runsInline = runsInline
        self.body = body
        self.parking = parking
    }
}
