/// A test on the value that a JSON Pointer (RFC 6901) selects in a node's output.
public struct EdgeCondition: Sendable, Hashable {
    /// The tests a condition can make.
    public enum Test: Sendable, Hashable {
        /// The selected value equals this one.
        case equals(JSONValue)
        /// The selected value is missing or differs from this one.
        case notEquals(JSONValue)
        /// The pointer selects a value (`true`) or selects nothing (`false`).
        case exists(Bool)
        /// The selected value is one of these.
        case oneOf([JSONValue])
    }

    /// The pointer text, such as `/status`; checked by validation.
    public var pointer: String
    /// What to test the selected value for.
    public var test: Test

    /// Creates a condition.
    public init(pointer: String, _ test: Test) {
        self.pointer = pointer
        self.test = test
    }

    /// Holds when the value at `pointer` equals `value`.
    public static func equals(_ pointer: String, _ value: JSONValue) -> EdgeCondition { .init(pointer: pointer, .equals(value)) }
    /// Holds when the value at `pointer` is missing or differs from `value`.
    public static func notEquals(_ pointer: String, _ value: JSONValue) -> EdgeCondition { .init(pointer: pointer, .notEquals(value)) }
    /// Holds when `pointer` selects a value.
    public static func exists(_ pointer: String) -> EdgeCondition { .init(pointer: pointer, .exists(true)) }
    /// Holds when the value at `pointer` is one of `values`.
    public static func oneOf(_ pointer: String, _ values: [JSONValue]) -> EdgeCondition { .init(pointer: pointer, .oneOf(values)) }

    /// Evaluates the condition on a node's output; an invalid pointer never holds.
    public func holds(for output: JSONValue) -> Bool {
        guard let parsed = try? JSONPointer(pointer) else { return false }
        return holds(selected: parsed.resolve(in: output))
    }

    func holds(selected: JSONValue?) -> Bool {
        switch test {
        case .equals(let expected): return selected.map { Self.same($0, expected) } ?? false
        case .notEquals(let expected): return !(selected.map { Self.same($0, expected) } ?? false)
        case .exists(let expected): return (selected != nil) == expected
        case .oneOf(let candidates): return selected.map { value in candidates.contains { Self.same(value, $0) } } ?? false
        }
    }

    /// JSON equality: `1` and `1.0` are the same number.
    private static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if let left = lhs.doubleValue, let right = rhs.doubleValue { return left == right }
        return lhs == rhs
    }
}
