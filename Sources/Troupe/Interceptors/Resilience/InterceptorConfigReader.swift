/// Reads a built-in interceptor's JSON config, collecting every problem with its place under
/// `config.` (the runtime puts the interceptor's own place in front), like the workflow decoder does.
struct InterceptorConfigReader {
    /// The config's members; empty when the config was not an object.
    let members: [String: JSONValue]
    private(set) var issues: [ValidationIssue] = []

    /// Starts reading `config`, which must be an object (or absent, for an interceptor whose fields
    /// all have defaults) with no fields but `allowed`.
    init(_ config: JSONValue, allowed: Set<String>) {
        switch config {
        case .object(let object):
            members = object
            for key in object.keys.sorted() where !allowed.contains(key) {
                issues.append(
                    ValidationIssue(
                        path: "config.\(key.printable)", message: "unknown field (expected one of: \(allowed.sorted().joined(separator: ", ")))"))
            }
        case .null:
            members = [:]
        default:
            members = [:]
            issues.append(ValidationIssue(path: "config", message: "expected an object, found \(config.typeName)"))
        }
    }

    /// Records a problem with `field`.
    mutating func fail(_ field: String, _ message: String) {
        issues.append(ValidationIssue(path: "config.\(field)", message: message))
    }

    /// A whole number in `range`, `defaultValue` when absent (`nil` there makes the field required).
    mutating func integer(_ field: String, in range: ClosedRange<Int>, default defaultValue: Int? = nil) -> Int {
        guard let value = members[field] else {
            if let defaultValue { return defaultValue }
            fail(field, "required (a whole number from \(range.lowerBound) to \(range.upperBound))")
            return range.lowerBound
        }
        guard let number = value.integerValue, range.contains(number) else {
            fail(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound), found \(value)")
            return range.lowerBound
        }
        return number
    }

    /// A number in `range`, `defaultValue` when absent (`nil` there makes the field required).
    mutating func number(_ field: String, in range: ClosedRange<Double>, default defaultValue: Double? = nil) -> Double {
        guard let value = members[field] else {
            if let defaultValue { return defaultValue }
            fail(field, "required (a number from \(range.lowerBound) to \(range.upperBound))")
            return range.lowerBound
        }
        guard let number = value.doubleValue, range.contains(number) else {
            fail(field, "must be a number from \(range.lowerBound) to \(range.upperBound), found \(value)")
            return range.lowerBound
        }
        return number
    }

    /// A positive number of seconds as a duration, `defaultValue` when absent (`nil` makes it required).
    mutating func seconds(_ field: String, default defaultValue: Duration? = nil) -> Duration {
        guard let value = members[field] else {
            if let defaultValue { return defaultValue }
            fail(field, "required (a number of seconds above 0)")
            return .seconds(1)
        }
        guard let seconds = value.doubleValue, seconds > 0 else {
            fail(field, "must be a number of seconds above 0, found \(value)")
            return .seconds(1)
        }
        do {
            return try Duration(validatingSeconds: seconds)
        } catch {
            fail(field, error.description)
            return .seconds(1)
        }
    }

    /// A boolean, `defaultValue` when absent.
    mutating func bool(_ field: String, default defaultValue: Bool) -> Bool {
        guard let value = members[field] else { return defaultValue }
        guard let flag = value.boolValue else {
            fail(field, "expected a boolean, found \(value.typeName)")
            return defaultValue
        }
        return flag
    }

    /// One of `choices`, `defaultValue` when absent.
    mutating func choice(_ field: String, of choices: [String], default defaultValue: String) -> String {
        guard let value = members[field] else { return defaultValue }
        guard let text = value.stringValue, choices.contains(text) else {
            fail(field, "must be one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), found \(value)")
            return defaultValue
        }
        return text
    }

    /// The way calls are grouped, `defaultValue` when absent.
    mutating func key(_ field: String = "key", default defaultValue: CallKey) -> CallKey {
        guard let value = members[field] else { return defaultValue }
        do {
            return try CallKey(json: value)
        } catch {
            fail(field, error.message)
            return defaultValue
        }
    }

    /// Throws every problem found, if there was one.
    func finish() throws(WorkflowValidationError) {
        guard issues.isEmpty else { throw WorkflowValidationError(issues: issues) }
    }
}
