/// A workflow definition that cannot run, with every problem found.
public struct WorkflowValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// All the problems, in the order of the file.
    public var issues: [ValidationIssue]

    /// Wraps a non-empty list of problems.
    public init(issues: [ValidationIssue]) { self.issues = issues }

    public var description: String {
        "invalid workflow (\(issues.count) problem\(issues.count == 1 ? "" : "s")):\n"
            + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}
