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
