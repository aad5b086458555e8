/// An executor made from a host's Swift closure.
struct ClosureExecutor: NodeExecutor {
    let body: @Sendable (NodeCall) async throws -> JSONValue
    let runsInline: Bool

    func execute(_ call: NodeCall) async throws -> JSONValue {
        try await body(call)
    }
}
