/// The rest of a node's pipeline: the inner interceptors and then the executor.
///
/// Handlers are composed once per prepared workflow and shared by all its instances: `handle` is
/// called concurrently and must be reentrant.
public protocol NodeHandler: Sendable {
    /// Runs the rest of the pipeline for `call` and returns the node's output.
    func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue
}
