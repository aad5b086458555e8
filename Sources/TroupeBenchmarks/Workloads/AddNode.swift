import Troupe

/// The work every measured Troupe node does: one more than the sum of its upstream integers,
/// or than the instance's input at an entry node.
enum AddNode {
    /// The synchronous kind, which Troupe runs inline.
    static let kind = "add"
    /// The asynchronous kind, which does the same work in an async closure, as a node doing I/O is written.
    static let asyncKind = "async-add"
    /// The asynchronous kind, which first waits at a ``Gate``.
    static let gatedKind = "gated-add"

    /// The node's output for `call`; throws when an input is not an integer.
    static func output(for call: NodeCall) throws -> JSONValue {
        guard !call.upstream.isEmpty else { return .integer(try integer(call.input) + 1) }
        var sum = 0
        for value in call.upstream.values { sum += try integer(value) }
        return .integer(sum + 1)
    }

    /// Registers ``kind`` and ``asyncKind`` in `runtime`.
    static func register(in runtime: WorkflowRuntime) throws {
        try runtime.register(kind: kind) { call in try output(for: call) }
        let body: @Sendable (NodeCall) async throws -> JSONValue = { call in try output(for: call) }
        try runtime.register(kind: asyncKind, body)
    }

    /// Registers ``gatedKind`` in `runtime`, waiting at `gate` before adding.
    static func registerGated(in runtime: WorkflowRuntime, gate: Gate) throws {
        try runtime.register(kind: gatedKind) { call in
            await gate.wait()
            return try output(for: call)
        }
    }

    /// The integer in `value`; throws when it is not one.
    private static func integer(_ value: JSONValue) throws -> Int {
        guard let integer = value.integerValue else {
            throw ExecutionError(type: "NotAnInteger", message: "expected an integer, got \(value.typeName)")
        }
        return integer
    }
}
