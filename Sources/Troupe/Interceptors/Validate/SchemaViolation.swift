/// One way a value broke a ``JSONSchema``: where, which rule, and what was wrong.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// The JSON Pointer of the failing value in the checked document (`""` for the whole).
    public var pointer: String
    /// The schema keyword that failed, such as `required` or `maxLength`.
    public var rule: String
    /// What was wrong.
    public var message: String

    public var description: String { "\(pointer.isEmpty ? "(root)" : pointer): \(message) (\(rule))" }

    /// The violation as JSON, as error details and warnings carry it.
    var jsonValue: JSONValue { ["pointer": .string(pointer), "rule": .string(rule), "message": .string(message)] }
}
