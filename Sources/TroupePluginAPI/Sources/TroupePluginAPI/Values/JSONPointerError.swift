/// A JSON Pointer that does not follow RFC 6901.
public struct JSONPointerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pointer text as given.
    public var pointer: String
    /// What is wrong with it.
    public var reason: String

    public var description: String { "invalid JSON Pointer \"\(pointer)\": \(reason)" }
}
