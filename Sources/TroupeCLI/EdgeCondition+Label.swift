import Troupe

extension EdgeCondition {
    /// The condition as a graph label, such as `/status == "ok"` or `/rows in [0,null]`.
    var label: String {
        switch test {
        case .equals(let value): return "\(pointer) == \(value)"
        case .notEquals(let value): return "\(pointer) != \(value)"
        case .exists(true): return "\(pointer) exists"
        case .exists(false): return "\(pointer) missing"
        case .oneOf(let values): return "\(pointer) in \(JSONValue.array(values))"
        }
    }
}
