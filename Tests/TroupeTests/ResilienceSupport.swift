import Synchronization
import TroupeTesting

@_spi(Development) @testable import Troupe

/// The end of a chain in tests of the resilience interceptors: runs a closure for each call.
struct ClosureHandler: NodeHandler {
    let body: @Sendable (NodeCall) async throws -> JSONValue

    func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue { try await body(call) }
}

extension NodeCall {
    /// A call of node `node` for tests, with `metadata` and `input`.
    static func test(_ node: String = "n", kind: String = "k", input: JSONValue = .null, metadata: [String: String] = [:]) -> NodeCall {
        NodeCall(instanceID: InstanceID(rawValue: 1), workflowID: "w", nodeID: node, kind: kind, input: input, metadata: metadata)
    }
}

/// Yields until `condition` holds: for states the code under test reaches without a clock or an
/// event to wait on (a caller parked in a limiter's line), bounded by the suite's time limit.
func yieldUntil(_ condition: () -> Bool) async {
    while !condition() { await Task.yield() }
}
