/// Checks a node's input (the instance input its call carries) before it runs and its output
/// after, against ``JSONSchema``s; a failure ends the node with `ValidationFailed`, or, with
/// `strict` off, is kept in a ``ValidationWarningLog``, noted as a `validate` `warning` event, and the call goes on.
///
/// A `ValidationFailed` error's message lists every violation with its JSON Pointer and rule;
/// its details are `{"phase": "input"|"output", "violations": [{"pointer", "rule", "message"}]}`.
public struct ValidateInterceptor: NodeInterceptor {
    /// The schema of the call's input, if it is checked.
    public let input: JSONSchema?
    /// The schema of the node's output, if it is checked.
    public let output: JSONSchema?
    /// Whether a violation fails the node (`true`) or becomes a warning.
    public let strict: Bool
    private let warnings: ValidationWarningLog

    /// Creates the interceptor; with `strict` off, violations go to `warnings`.
    public init(input: JSONSchema?, output: JSONSchema?, strict: Bool = true, warnings: ValidationWarningLog = ValidationWarningLog()) {
        self.input = input
        self.output = output
        self.strict = strict
        self.warnings = warnings
    }

    /// Checking awaits nothing.
    public var neverSuspends: Bool { true }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        if let input { try check(call.input, against: input, phase: "input", of: call, context: context) }
        let result = try await next.handle(call, context: context)
        if let output { try check(result, against: output, phase: "output", of: call, context: context) }
        return result
    }

    private func check(
        _ value: JSONValue, against schema: JSONSchema, phase: String, of call: NodeCall, context: any NodeContext
    ) throws(ExecutionError) {
        let violations = schema.violations(of: value)
        guard !violations.isEmpty else { return }
        guard strict else {
            let warning = ValidationWarning(instanceID: call.instanceID, workflowID: call.workflowID, nodeID: call.nodeID, phase: phase, violations: violations)
            warnings.record(warning)
            context.note(
                InterceptorNote(
                    interceptor: "validate", event: "warning", message: "\(phase): " + violations.map(\.description).joined(separator: "; "),
                    details: ["phase": .string(phase), "violations": .array(violations.map(\.jsonValue))]))
            return
        }
        throw ExecutionError(
            type: "ValidationFailed", message: "\(phase) of node \(call.nodeID.debugDescription): " + violations.map(\.description).joined(separator: "; "),
            details: ["phase": .string(phase), "violations": .array(violations.map(\.jsonValue))])
    }
}
