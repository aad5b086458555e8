/// The rest of a node's pipeline: the inner interceptors and then the executor.
public protocol NodeHandler: Sendable {
    /// Runs the rest of the pipeline for `call` and returns the node's output.
    func handle(_ call: NodeCall) async throws -> JSONValue
}
