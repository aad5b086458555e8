import Foundation
import Troupe

/// A workflow file named on the command line; every way it can be wrong becomes a validation issue,
/// so each command reports an unreadable file, malformed JSON and a bad graph the same way.
struct WorkflowFile: Sendable {
    /// The path as given, used in messages.
    let path: String

    /// The decoded definition, not yet checked against a registry.
    func definition() throws(WorkflowValidationError) -> WorkflowDefinition {
        // Checked first because Foundation's read errors on Linux name neither the cause nor errno.
        guard access(path, R_OK) == 0 else { throw Self.unreadable(String(cString: strerror(errno))) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Self.unreadable("it is a directory")
        }
        do {
            return try WorkflowDefinition(contentsOf: URL(fileURLWithPath: path))
        } catch let error as WorkflowValidationError {
            throw error
        } catch {
            throw Self.unreadable(error.localizedDescription)
        }
    }

    /// The definition validated and prepared by `runtime`, so unknown kinds and interceptor configs are caught too.
    func prepared(by runtime: WorkflowRuntime) throws(WorkflowValidationError) -> PreparedWorkflow {
        try runtime.prepare(try definition())
    }

    /// Writes each issue to standard error as `path: message`; the file stands in for an empty path.
    func report(_ error: WorkflowValidationError) {
        for issue in error.issues {
            Console.error("\(issue.path.isEmpty ? path : issue.path): \(issue.message)")
        }
        Console.error("\(path): \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s")")
    }

    /// The issue for a file that cannot be read at all.
    private static func unreadable(_ reason: String) -> WorkflowValidationError {
        WorkflowValidationError(issues: [ValidationIssue(path: "", message: "cannot read the file: \(reason)")])
    }
}
