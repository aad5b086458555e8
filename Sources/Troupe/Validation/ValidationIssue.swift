/// One problem with a workflow definition, naming its place, such as `nodes[3].id`.
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is, as a path into the workflow file (`""` for the whole file).
    public var path: String
    /// What is wrong.
    public var message: String

    /// Creates an issue.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension ValidationIssue {
    /// The issue with its path put below `prefix`, as in `nodes[0].config.definition.nodes[2].kind`.
    func nested(under prefix: String) -> ValidationIssue {
        ValidationIssue(path: path.isEmpty ? prefix : "\(prefix).\(path)", message: message)
    }
}
