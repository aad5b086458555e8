/// A failure with a stable type name, which retry policies match against `nonRetryableErrorTypes`.
public struct ExecutionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable name for the kind of failure, such as `"ShellExit"`.
    public var type: String
    /// A human-readable explanation.
    public var message: String
    /// Structured details, such as an exit code.
    public var details: JSONValue

    /// Creates a failure of a named type.
    public init(type: String, message: String, details: JSONValue = .null) {
        self.type = type
        self.message = message
        self.details = details
    }

    public var description: String { "\(type): \(message)" }
}

/// The stable type name of any error: an ``ExecutionError``'s `type`, else the Swift type's name.
public func errorTypeName(of error: any Error) -> String {
    if let failure = error as? ExecutionError { return failure.type }
    return String(describing: type(of: error))
}
