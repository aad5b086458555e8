import Foundation

extension WorkflowDefinition {
    /// Reads a definition from workflow-file JSON, reporting malformed JSON with its line and column
    /// and every type error or unknown field with its path. Run ``validate(against:)`` before running it.
    public init(json text: String) throws(WorkflowValidationError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw WorkflowValidationError(issues: [ValidationIssue(path: "", message: "malformed JSON at \(error)")])
        }
        try self.init(jsonValue: value)
    }

    /// Reads a definition from the UTF-8 bytes of a workflow file, without copying them.
    init(jsonBytes bytes: [UInt8]) throws(WorkflowValidationError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw WorkflowValidationError(issues: [ValidationIssue(path: "", message: "malformed JSON at \(error)")])
        }
        try self.init(jsonValue: value)
    }

    /// Reads a definition from an already parsed JSON value.
    public init(jsonValue: JSONValue) throws(WorkflowValidationError) {
        var decoder = DefinitionDecoder()
        let definition = decoder.decodeWorkflow(jsonValue)
        guard decoder.issues.isEmpty else { throw WorkflowValidationError(issues: decoder.issues) }
        self = definition
    }

    /// The definition in the workflow-file format; reading it back gives an equal definition.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "version": .string(version),
            "nodes": .array(nodes.map(\.jsonValue)), "edges": .array(edges.map(\.jsonValue)),
        ]
        if let description { object["description"] = .string(description) }
        switch strategy {
        case .dag(nil): object["strategy"] = "dag"
        case .dag(let bound?): object["strategy"] = ["type": "dag", "maxConcurrency": .integer(bound)]
        case .sequential: object["strategy"] = "sequential"
        case .parallel(let bound): object["strategy"] = ["type": "parallel", "maxConcurrency": .integer(bound)]
        }
        if !interceptors.isEmpty { object["interceptors"] = .array(interceptors.map(\.jsonValue)) }
        if let deadline { object["deadline"] = deadline.jsonSeconds }
        return .object(object)
    }

    /// The definition as pretty-printed workflow-file JSON with sorted keys.
    public func jsonText() -> String { JSONWriter.write(jsonValue) }
}

extension NodeDefinition {
    var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["id": .string(id), "kind": .string(kind)]
        if config != .null { object["config"] = config }
        if let retry { object["retry"] = retry.jsonValue }
        if let timeout { object["timeout"] = timeout.jsonSeconds }
        if !interceptors.isEmpty { object["interceptors"] = .array(interceptors.map(\.jsonValue)) }
        return .object(object)
    }
}

extension EdgeDefinition {
    var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["from": .string(from), "to": .string(to)]
        if let condition {
            var when: [String: JSONValue] = ["pointer": .string(condition.pointer)]
            switch condition.test {
            case .equals(let value): when["equals"] = value
            case .notEquals(let value): when["notEquals"] = value
            case .exists(let flag): when["exists"] = .bool(flag)
            case .oneOf(let values): when["in"] = .array(values)
            }
            object["when"] = .object(when)
        }
        return .object(object)
    }
}

extension RetryPolicy {
    var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "maximumAttempts": .integer(maximumAttempts), "initialInterval": initialInterval.jsonSeconds,
            "backoffCoefficient": .double(backoffCoefficient), "jitter": .double(jitter),
        ]
        if let maximumInterval { object["maximumInterval"] = maximumInterval.jsonSeconds }
        if nonRetryableErrorTypes != Self.defaultNonRetryableErrorTypes {
            object["nonRetryableErrorTypes"] = .array(nonRetryableErrorTypes.map { .string($0) })
        }
        return .object(object)
    }
}

extension InterceptorReference {
    var jsonValue: JSONValue {
        config == .null ? .string(name) : ["name": .string(name), "config": config]
    }
}

extension Duration {
    /// Whole nanoseconds as seconds; written as an integer when it is one, so round trips are exact.
    var jsonSeconds: JSONValue {
        let (seconds, attoseconds) = components
        // Beyond the maximum (only from Swift; validation refuses it) nanoseconds would overflow `Int64`.
        guard abs(seconds) <= Int64(Duration.maximumSeconds) else { return .double(self.seconds) }
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanoseconds % 1_000_000_000 == 0 { return .integer(Int(nanoseconds / 1_000_000_000)) }
        // The nearest double to nanoseconds / 1e9 does not always read back as the same nanoseconds
        // (4461764.0289051905 s is one): write the nearest one that does, a few ulps away at most.
        let nearest = Double(nanoseconds) / 1e9
        var below = nearest
        var above = nearest
        for _ in 0..<8 {
            if Self.readBackNanoseconds(below) == nanoseconds { return .double(below) }
            if Self.readBackNanoseconds(above) == nanoseconds { return .double(above) }
            below = below.nextDown
            above = above.nextUp
        }
        return .double(nearest)
    }

    /// What ``init(validatingSeconds:)`` makes of `seconds`, in nanoseconds.
    private static func readBackNanoseconds(_ seconds: Double) -> Int64 { Int64((seconds * 1e9).rounded()) }
}
