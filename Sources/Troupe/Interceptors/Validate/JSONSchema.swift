import Foundation

/// A JSON Schema of the subset the `validate` interceptor checks: `type`, `properties`,
/// `required`, `additionalProperties`, `items`, `enum`, `const`, `minimum`/`maximum`,
/// `minLength`/`maxLength`, `pattern`, `minItems`/`maxItems`; `title`, `description`,
/// `$schema`, `$id`, `default` and `examples` are read and ignored, any other keyword is an error.
///
/// `@unchecked Sendable`: every field is immutable after parsing, and `NSRegularExpression` is
/// documented as safe to use from several threads at once.
public final class JSONSchema: @unchecked Sendable {
    /// What a schema says of members not named in `properties`.
    enum Additional {
        case allowed
        case forbidden
        case schema(JSONSchema)
    }

    let types: [String]?
    let properties: [String: JSONSchema]
    let required: [String]
    let additional: Additional
    let items: JSONSchema?
    let allowedValues: [JSONValue]?
    let constant: JSONValue?
    let minimum: Double?
    let maximum: Double?
    let minLength: Int?
    let maxLength: Int?
    let pattern: (source: String, expression: NSRegularExpression)?
    let minItems: Int?
    let maxItems: Int?

    static let typeNames = ["array", "boolean", "integer", "null", "number", "object", "string"]
    private static let annotations: Set<String> = ["title", "description", "$schema", "$id", "default", "examples"]
    private static let keywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "minimum", "maximum", "minLength", "maxLength",
        "pattern", "minItems", "maxItems",
    ]

    /// Reads a schema, or returns `nil` after recording every problem in `issues` under `path`.
    static func read(_ json: JSONValue, at path: String, issues: inout [ValidationIssue]) -> JSONSchema? {
        let before = issues.count
        let schema = JSONSchema(json, at: path, issues: &issues)
        return issues.count == before ? schema : nil
    }

    private init(_ json: JSONValue, at path: String, issues: inout [ValidationIssue]) {
        func fail(_ keyword: String, _ message: String) { issues.append(ValidationIssue(path: "\(path).\(keyword)", message: message)) }
        func count(_ keyword: String, in members: [String: JSONValue]) -> Int? {
            guard let value = members[keyword] else { return nil }
            guard let number = value.integerValue, number >= 0 else {
                fail(keyword, "must be a whole number of at least 0, found \(value)")
                return nil
            }
            return number
        }
        func bound(_ keyword: String, in members: [String: JSONValue]) -> Double? {
            guard let value = members[keyword] else { return nil }
            guard let number = value.doubleValue, number.isFinite else {
                fail(keyword, "must be a number, found \(value)")
                return nil
            }
            return number
        }
        guard case .object(let members) = json else {
            issues.append(ValidationIssue(path: path, message: "a schema must be an object, found \(json.typeName)"))
            types = nil
            properties = [:]
            required = []
            additional = .allowed
            items = nil
            allowedValues = nil
            constant = nil
            minimum = nil
            maximum = nil
            minLength = nil
            maxLength = nil
            pattern = nil
            minItems = nil
            maxItems = nil
            return
        }
        for key in members.keys.sorted() where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            fail(key.printable, "keyword not supported (supported: \(Self.keywords.sorted().joined(separator: ", ")))")
        }
        switch members["type"] {
        case nil: types = nil
        case .string(let name)? where Self.typeNames.contains(name): types = [name]
        case .array(let names)? where !names.isEmpty && names.allSatisfy({ $0.stringValue.map(Self.typeNames.contains) == true }):
            types = names.compactMap(\.stringValue)
        case let value?:
            fail("type", "must be one of \(Self.typeNames.joined(separator: ", ")) or a non-empty array of them, found \(value)")
            types = nil
        }
        var properties: [String: JSONSchema] = [:]
        if let value = members["properties"] {
            if case .object(let schemas) = value {
                for (name, schema) in schemas { properties[name] = JSONSchema(schema, at: "\(path).properties.\(name.printable)", issues: &issues) }
            } else {
                fail("properties", "must be an object of schemas, found \(value.typeName)")
            }
        }
        self.properties = properties
        switch members["required"] {
        case nil: required = []
        case .array(let names)? where names.allSatisfy({ $0.stringValue != nil }): required = names.compactMap(\.stringValue)
        case let value?:
            fail("required", "must be an array of property names, found \(value)")
            required = []
        }
        switch members["additionalProperties"] {
        case nil, .bool(true)?: additional = .allowed
        case .bool(false)?: additional = .forbidden
        case let value?: additional = .schema(JSONSchema(value, at: "\(path).additionalProperties", issues: &issues))
        }
        items = members["items"].map { JSONSchema($0, at: "\(path).items", issues: &issues) }
        switch members["enum"] {
        case nil: allowedValues = nil
        case .array(let values)? where !values.isEmpty: allowedValues = values
        case let value?:
            fail("enum", "must be a non-empty array, found \(value)")
            allowedValues = nil
        }
        constant = members["const"]
        minimum = bound("minimum", in: members)
        maximum = bound("maximum", in: members)
        minLength = count("minLength", in: members)
        maxLength = count("maxLength", in: members)
        minItems = count("minItems", in: members)
        maxItems = count("maxItems", in: members)
        switch members["pattern"] {
        case nil: pattern = nil
        case .string(let source)?:
            do {
                pattern = (source, try NSRegularExpression(pattern: source))
            } catch {
                fail("pattern", "is not a regular expression: \(source.debugDescription)")
                pattern = nil
            }
        case let value?:
            fail("pattern", "must be a string, found \(value.typeName)")
            pattern = nil
        }
    }
}
