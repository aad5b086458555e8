import Foundation

extension JSONSchema {
    /// Every way `value` breaks the schema, in document order; empty when it conforms.
    func violations(of value: JSONValue) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        check(value, at: "", into: &found)
        return found
    }

    private func check(_ value: JSONValue, at pointer: String, into found: inout [SchemaViolation]) {
        func violate(_ rule: String, _ message: String) { found.append(SchemaViolation(pointer: pointer, rule: rule, message: message)) }
        if let types, !types.contains(where: { Self.value(value, isOfType: $0) }) {
            violate("type", "expected \(types.joined(separator: " or ")), found \(value.typeName)")
            return
        }
        if let allowedValues, !allowedValues.contains(where: { Self.equal($0, value) }) {
            violate("enum", "\(value) is not one of \(JSONValue.array(allowedValues))")
        }
        if let constant, !Self.equal(constant, value) { violate("const", "must be \(constant), found \(value)") }
        switch value {
        case .integer, .double:
            let number = value.doubleValue ?? 0
            if let minimum, number < minimum { violate("minimum", "\(value) is below the minimum \(JSONValue.double(minimum))") }
            if let maximum, number > maximum { violate("maximum", "\(value) is above the maximum \(JSONValue.double(maximum))") }
        case .string(let text):
            let length = text.count
            if let minLength, length < minLength { violate("minLength", "\(length) characters, fewer than \(minLength)") }
            if let maxLength, length > maxLength { violate("maxLength", "\(length) characters, more than \(maxLength)") }
            if let pattern {
                let range = NSRange(text.startIndex..., in: text)
                if pattern.expression.firstMatch(in: text, range: range) == nil { violate("pattern", "does not match \(pattern.source.debugDescription)") }
            }
        case .array(let elements):
            if let minItems, elements.count < minItems { violate("minItems", "\(elements.count) items, fewer than \(minItems)") }
            if let maxItems, elements.count > maxItems { violate("maxItems", "\(elements.count) items, more than \(maxItems)") }
            if let items {
                for (index, element) in elements.enumerated() { items.check(element, at: "\(pointer)/\(index)", into: &found) }
            }
        case .object(let members):
            for name in required where members[name] == nil { violate("required", "required property \(name.debugDescription) is missing") }
            for name in members.keys.sorted() {
                let member = members[name] ?? .null
                let place = "\(pointer)/\(Self.escaped(name))"
                if let schema = properties[name] {
                    schema.check(member, at: place, into: &found)
                    continue
                }
                switch additional {
                case .allowed: break
                case .forbidden: found.append(SchemaViolation(pointer: place, rule: "additionalProperties", message: "property not allowed"))
                case .schema(let schema): schema.check(member, at: place, into: &found)
                }
            }
        case .null, .bool:
            break
        }
    }

    private static func value(_ value: JSONValue, isOfType type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): return true
        case ("number", .integer), ("number", .double), ("integer", .integer): return true
        case ("integer", .double(let number)): return number.rounded() == number && number.isFinite
        default: return false
        }
    }

    /// JSON equality, where 1 and 1.0 are the same number.
    private static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.integer, .double), (.double, .integer): return lhs.doubleValue == rhs.doubleValue
        case (.array(let left), .array(let right)): return left.count == right.count && zip(left, right).allSatisfy { equal($0, $1) }
        case (.object(let left), .object(let right)):
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { equal(value, $0) } == true }
        default: return lhs == rhs
        }
    }

    private static func escaped(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
