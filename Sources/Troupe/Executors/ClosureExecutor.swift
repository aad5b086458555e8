/// An executor made from a host's Swift closure.
struct ClosureExecutor: NodeExecutor {
    /// The host's closure, as it was registered.
    enum Body: Sendable {
        case synchronous(@Sendable (NodeCall) throws -> JSONValue)
        case asynchronous(@Sendable (NodeCall) async throws -> JSONValue)
    }

    let body: Body

    var runsInline: Bool {
        if case .synchronous = body { return true }
        return false
    }

    func execute(_ call: NodeCall) async throws -> JSONValue {
        switch body {
        case .synchronous(let body): try body(call)
        case .asynchronous(let body): try await body(call)
        }
    }
}
