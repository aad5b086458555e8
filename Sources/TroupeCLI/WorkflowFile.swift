import Foundation
import Troupe

/// A workflow file named on the command line; every way it can be wrong becomes a validation issue,
/// so each command reports an unreadable file, malformed JSON and a bad graph the same way.
struct WorkflowFile: Sendable {
    /// The option that sets the size limit.
    static let options: Set<String> = ["max-file-size"]
    /// The help line for that option.
    static let help = """
          --max-file-size BYTES    refuse larger workflow and input files (default 64 MiB; suffixes K, M, G)
        """

    /// The path as given, used in messages.
    let path: String
    /// The largest file read, in bytes.
    let maximumSize: Int

    /// Takes the only operand as the file and `--max-file-size`.
    init(_ arguments: Arguments) throws(UsageError) {
        path = try arguments.singleOperand("FILE")
        guard let text = arguments[option: "max-file-size"] else {
            maximumSize = WorkflowDefinition.defaultMaximumFileSize
            return
        }
        guard let size = Self.byteCount(text) else {
            throw UsageError(message: "--max-file-size needs a number of bytes, optionally with K, M or G (found \(text))")
        }
        maximumSize = size
    }

    /// `123`, `64K`, `64M`, `1G` (binary multiples) as bytes; `nil` for anything else or an overflow.
    private static func byteCount(_ text: String) -> Int? {
        let shifts: [Character: Int] = ["K": 10, "M": 20, "G": 30]
        var digits = Substring(text)
        var shift = 0
        if let last = digits.last, let found = shifts[Character(last.uppercased())] {
            shift = found
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : bytes
    }

    /// The decoded definition, not yet checked against a registry.
    func definition() throws(WorkflowValidationError) -> WorkflowDefinition {
        try WorkflowDefinition(contentsOf: URL(fileURLWithPath: path), maximumSize: maximumSize)
    }

    /// The decoded definition, or `nil` after reporting its problems.
    func reportedDefinition() -> WorkflowDefinition? {
        do {
            return try definition()
        } catch {
            report(error)
            return nil
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
}
