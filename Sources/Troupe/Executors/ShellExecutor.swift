/// The `shell` kind: runs a command; its standard output becomes the node's output, parsed as JSON
/// when it is JSON, else a string. A non-zero exit fails the node with the code and the tail of
/// standard error; cancellation (a timeout, a cancelled instance) kills the process group.
struct ShellExecutor: NodeExecutor {
    /// How much of standard error a failure carries.
    static let errorTailLength = 2_000

    func execute(_ call: NodeCall) async throws -> JSONValue {
        let command = try ShellCommand(call)
        try Task.checkCancellation()
        let process = try ChildProcess(command)
        let termination = await withTaskCancellationHandler {
            await process.wait()
        } onCancel: {
            process.terminateGroup()
        }
        try Task.checkCancellation()
        let errorTail = String(decoding: termination.standardError.suffix(Self.errorTailLength), as: UTF8.self)
            .trimmingTrailingNewlines()
        if let signal = termination.signal {
            throw ExecutionError(
                type: "ShellSignal", message: "\(command.displayName) was killed by signal \(signal)\(errorTail.isEmpty ? "" : ": \(errorTail)")",
                details: ["signal": .integer(Int(signal)), "stderr": .string(errorTail)])
        }
        guard let exitCode = termination.exitCode, exitCode == 0 else {
            let code = Int(termination.exitCode ?? -1)
            throw ExecutionError(
                type: "ShellExit", message: "\(command.displayName) exited with status \(code)\(errorTail.isEmpty ? "" : ": \(errorTail)")",
                details: ["exitCode": .integer(code), "stderr": .string(errorTail)])
        }
        let text = String(decoding: termination.standardOutput, as: UTF8.self).trimmingTrailingNewlines()
        return (try? JSONParser.parse(text)) ?? .string(text)
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
