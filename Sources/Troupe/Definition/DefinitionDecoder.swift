/// Reads a workflow definition out of a JSON value, collecting every type error and unknown field
/// with its path instead of stopping at the first, so validation can report all problems at once.
struct DefinitionDecoder {
    private(set) var issues: [ValidationIssue] = []

    mutating func decodeWorkflow(_ json: JSONValue) -> WorkflowDefinition {
        guard let object = object(json, at: "") else { return WorkflowDefinition(id: "") }
        checkKeys(object, at: "", allowed: ["id", "name", "version", "description", "nodes", "edges", "strategy", "interceptors", "deadline"])
        let id = string(object["id"], at: "id") ?? ""
        var definition = WorkflowDefinition(id: id)
        definition.name = string(object["name"], at: "name") ?? id
        definition.version = string(object["version"], at: "version") ?? ""
        definition.description = string(object["description"], at: "description")
        definition.nodes = array(object["nodes"], at: "nodes").enumerated().map { decodeNode($1, at: "nodes[\($0)]") }
        definition.edges = array(object["edges"], at: "edges").enumerated().map { decodeEdge($1, at: "edges[\($0)]") }
        definition.strategy = decodeStrategy(object["strategy"], at: "strategy")
        definition.interceptors = decodeInterceptors(object["interceptors"], at: "interceptors")
        definition.deadline = duration(object["deadline"], at: "deadline")
        return definition
    }

    private mutating func decodeNode(_ json: JSONValue, at path: String) -> NodeDefinition {
        guard let object = object(json, at: path) else { return NodeDefinition("", kind: "") }
        checkKeys(object, at: path, allowed: ["id", "kind", "config", "retry", "timeout", "interceptors"])
        var node = NodeDefinition(string(object["id"], at: "\(path).id") ?? "", kind: string(object["kind"], at: "\(path).kind") ?? "")
        node.config = object["config"] ?? .null
        node.retry = object["retry"].flatMap { decodeRetry($0, at: "\(path).retry") }
        node.timeout = duration(object["timeout"], at: "\(path).timeout")
        node.interceptors = decodeInterceptors(object["interceptors"], at: "\(path).interceptors")
        return node
    }

    private mutating func decodeEdge(_ json: JSONValue, at path: String) -> EdgeDefinition {
        guard let object = object(json, at: path) else { return EdgeDefinition(from: "", to: "") }
        checkKeys(object, at: path, allowed: ["from", "to", "when"])
        var edge = EdgeDefinition(from: string(object["from"], at: "\(path).from") ?? "", to: string(object["to"], at: "\(path).to") ?? "")
        if let when = object["when"] { edge.condition = decodeCondition(when, at: "\(path).when") }
        return edge
    }

    private mutating func decodeCondition(_ json: JSONValue, at path: String) -> EdgeCondition? {
        guard let object = object(json, at: path) else { return nil }
        checkKeys(object, at: path, allowed: ["pointer", "equals", "notEquals", "exists", "in"])
        let pointer = string(object["pointer"], at: "\(path).pointer") ?? ""
        var tests: [EdgeCondition.Test] = []
        if let value = object["equals"] { tests.append(.equals(value)) }
        if let value = object["notEquals"] { tests.append(.notEquals(value)) }
        if let value = object["exists"] {
            if let flag = value.boolValue { tests.append(.exists(flag)) } else { typeIssue("\(path).exists", expected: "a boolean", found: value) }
        }
        if let value = object["in"] {
            if let list = value.arrayValue { tests.append(.oneOf(list)) } else { typeIssue("\(path).in", expected: "an array", found: value) }
        }
        guard tests.count == 1 else {
            issues.append(ValidationIssue(path: path, message: "needs exactly one of 'equals', 'notEquals', 'exists', 'in' (found \(tests.count))"))
            return nil
        }
        return EdgeCondition(pointer: pointer, tests[0])
    }

    mutating func decodeRetry(_ json: JSONValue, at path: String) -> RetryPolicy? {
        guard let object = object(json, at: path) else { return nil }
        checkKeys(
            object, at: path, allowed: ["maximumAttempts", "initialInterval", "backoffCoefficient", "maximumInterval", "jitter", "nonRetryableErrorTypes"])
        var policy = RetryPolicy()
        if let value = object["maximumAttempts"] {
            if let number = value.integerValue {
                policy.maximumAttempts = number
            } else {
                typeIssue("\(path).maximumAttempts", expected: "an integer", found: value)
            }
        }
        if let value = duration(object["initialInterval"], at: "\(path).initialInterval") { policy.initialInterval = value }
        if let value = object["backoffCoefficient"] {
            if let number = value.doubleValue {
                policy.backoffCoefficient = number
            } else {
                typeIssue("\(path).backoffCoefficient", expected: "a number", found: value)
            }
        }
        policy.maximumInterval = duration(object["maximumInterval"], at: "\(path).maximumInterval")
        if let value = object["jitter"] {
            if let number = value.doubleValue { policy.jitter = number } else { typeIssue("\(path).jitter", expected: "a number", found: value) }
        }
        if let list = object["nonRetryableErrorTypes"] {
            policy.nonRetryableErrorTypes = array(list, at: "\(path).nonRetryableErrorTypes")
                .enumerated().compactMap { string($1, at: "\(path).nonRetryableErrorTypes[\($0)]") }
        }
        return policy
    }

    private mutating func decodeStrategy(_ json: JSONValue?, at path: String) -> ExecutionStrategy {
        guard let json else { return .dag() }
        let name: String?
        var bound: Int?
        switch json {
        case .string(let text):
            name = text
        case .object(let object):
            checkKeys(object, at: path, allowed: ["type", "maxConcurrency"])
            name = string(object["type"], at: "\(path).type")
            if let value = object["maxConcurrency"] {
                if let number = value.integerValue { bound = number } else { typeIssue("\(path).maxConcurrency", expected: "an integer", found: value) }
            }
        default:
            typeIssue(path, expected: "a strategy name or object", found: json)
            return .dag()
        }
        switch name {
        case "sequential":
            if bound != nil { issues.append(ValidationIssue(path: "\(path).maxConcurrency", message: "does not apply to the sequential strategy")) }
            return .sequential
        case "parallel":
            guard let bound else {
                issues.append(ValidationIssue(path: "\(path).maxConcurrency", message: "is required by the parallel strategy"))
                return .parallel(maxConcurrency: 1)
            }
            return .parallel(maxConcurrency: bound)
        case "dag", nil:
            return .dag(maxConcurrency: bound)
        case let other?:
            issues.append(ValidationIssue(path: path, message: "unknown strategy \(other.quotedForMessage) (expected sequential, parallel or dag)"))
            return .dag()
        }
    }

    private mutating func decodeInterceptors(_ json: JSONValue?, at path: String) -> [InterceptorReference] {
        array(json, at: path).enumerated().compactMap { offset, element in
            let place = "\(path)[\(offset)]"
            switch element {
            case .string(let name):
                return InterceptorReference(name)
            case .object(let object):
                checkKeys(object, at: place, allowed: ["name", "config"])
                return InterceptorReference(string(object["name"], at: "\(place).name") ?? "", config: object["config"] ?? .null)
            default:
                typeIssue(place, expected: "a name or an object with 'name' and 'config'", found: element)
                return nil
            }
        }
    }

    private mutating func object(_ json: JSONValue, at path: String) -> [String: JSONValue]? {
        guard let object = json.objectValue else {
            typeIssue(path, expected: "an object", found: json)
            return nil
        }
        return object
    }

    private mutating func string(_ json: JSONValue?, at path: String) -> String? {
        guard let json else { return nil }
        guard let text = json.stringValue else {
            typeIssue(path, expected: "a string", found: json)
            return nil
        }
        return text
    }

    private mutating func array(_ json: JSONValue?, at path: String) -> [JSONValue] {
        guard let json else { return [] }
        guard let elements = json.arrayValue else {
            typeIssue(path, expected: "an array", found: json)
            return []
        }
        return elements
    }

    /// Durations are written as seconds; a negative or zero value is kept for validation to report.
    private mutating func duration(_ json: JSONValue?, at path: String) -> Duration? {
        guard let json else { return nil }
        guard let seconds = json.doubleValue else {
            typeIssue(path, expected: "a number of seconds", found: json)
            return nil
        }
        do {
            return try Duration(validatingSeconds: seconds)
        } catch {
            issues.append(ValidationIssue(path: path, message: error.description))
            return nil
        }
    }

    private mutating func checkKeys(_ object: [String: JSONValue], at path: String, allowed: Set<String>) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            // A key that is empty or could be mistaken for path syntax is quoted, so `""` is named, not the file.
            let plain =
                !key.isEmpty && key.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == "-" }
            let name = plain ? key : key.quotedForMessage
            let place = path.isEmpty ? name : "\(path).\(name)"
            issues.append(ValidationIssue(path: place, message: "unknown field (expected one of: \(allowed.sorted().joined(separator: ", ")))"))
        }
    }

    private mutating func typeIssue(_ path: String, expected: String, found: JSONValue) {
        issues.append(ValidationIssue(path: path, message: "expected \(expected), found \(found.typeName)"))
    }
}
