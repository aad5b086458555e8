import Foundation

/// A `shell` node's configuration, checked: what to run, where, with what environment and input.
struct ShellCommand: Sendable {
    /// The argument vector to spawn, the program first; it is looked up on `PATH`.
    let argv: [String]
    let environment: [String: String]
    /// Text for the process's standard input; `nil` gives it `/dev/null`.
    let standardInput: String?
    let displayName: String

    init(_ call: NodeCall) throws(ExecutionError) {
        let config = call.config
        func invalid(_ message: String) -> ExecutionError {
            ExecutionError(type: "InvalidConfig", message: "shell node \(call.nodeID): \(message)")
        }
        var program: [String]
        switch (config["command"], config["script"]) {
        case (.string(let command)?, nil):
            guard !command.isEmpty else { throw invalid("config.command is empty") }
            var arguments: [String] = []
            for (offset, argument) in (config["arguments"]?.arrayValue ?? []).enumerated() {
                switch argument {
                case .string(let text): arguments.append(text)
                case .integer, .double, .bool: arguments.append(argument.description)
                default: throw invalid("config.arguments[\(offset)] must be a string, number or boolean")
                }
            }
            program = [command] + arguments
            displayName = command
        case (nil, .string(let script)?):
            program = ["/bin/sh", "-c", script]
            displayName = "script"
        case (nil, nil):
            throw invalid("config needs 'command' (with optional 'arguments') or 'script'")
        default:
            throw invalid("config needs exactly one of 'command' (a string) or 'script' (a string)")
        }
        if let directory = config["workingDirectory"] {
            guard let path = directory.stringValue else { throw invalid("config.workingDirectory must be a string") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw invalid("working directory \(path) does not exist")
            }
            // posix_spawn cannot change directory portably here, so a tiny shell does it and execs the program.
            program = ["/bin/sh", "-c", "cd -- \"$0\" || exit 126; exec \"$@\"", path] + program
        }
        argv = program
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in config["environment"]?.objectValue ?? [:] {
            guard let text = value.stringValue ?? (value.doubleValue != nil ? value.description : nil) else {
                throw invalid("config.environment.\(key) must be a string or number")
            }
            environment[key] = text
        }
        environment["TROUPE_INSTANCE_ID"] = call.instanceID.description
        environment["TROUPE_WORKFLOW_ID"] = call.workflowID
        environment["TROUPE_NODE_ID"] = call.nodeID
        // The attempt's own span, as the runtime's tracers name it.
        if let parent = call.metadata["traceparent"].flatMap(TraceContext.init(traceparent:)) {
            environment["TRACEPARENT"] = parent.nodeAttempt(call.nodeID, call.attempt).traceparent
        }
        // A durable run's key for deduplicating side effects (`RUN/NODE`), stable across resumes.
        if let key = RunJournal.idempotencyKey(of: call) { environment["TROUPE_IDEMPOTENCY_KEY"] = key }
        if let run = call.metadata[RunJournal.runIDKey] { environment["TROUPE_RUN_ID"] = run }
        self.environment = environment
        switch config["stdin"] {
        case nil, .null?:
            standardInput = nil
        case .string("input")?:
            standardInput = JSONWriter.write(["input": call.input, "upstream": .object(call.upstream)], pretty: false) + "\n"
        case .object(let literal)? where literal.keys.sorted() == ["text"] && literal["text"]?.stringValue != nil:
            standardInput = literal["text"]!.stringValue
        default:
            throw invalid("config.stdin must be \"input\" (the node's input as JSON) or {\"text\": \"...\"}")
        }
    }
}
