import Foundation
@_spi(Development) import Troupe

/// `troupe show RUN`: one run with every node's attempts, its components, and a timeline.
struct ShowCommand: Command {
    /// Selects the command.
    static let name = "show"
    /// Shown in the usage.
    static let synopsis = "show RUN [--json] [--events]"
    /// Shown in the usage and the help.
    static let summary = "Show a recorded run: its nodes' attempts, versions and timeline."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
          --json          the run, its attempts and components as one JSON object
          --events        the run's stored history instead, one event a line (with --json, a JSON array)
        \(StoreSelection.help)
          -h, --help      show this help
        """
    /// The options that take a value.
    static let options: Set<String> = StoreSelection.options
    /// Flags it takes.
    static let flags: Set<String> = ["json", "events"]

    let store: StoreSelection
    let id: RunID
    let json: Bool
    let events: Bool

    /// Checks the options.
    init(_ arguments: Arguments) throws(UsageError) {
        store = try StoreSelection(arguments)
        id = try StoreSelection.runID(arguments)
        json = arguments.has("json")
        events = arguments.has("events")
    }

    /// Prints the run.
    func run() async -> ExitStatus {
        await store.using(for: Self.name) { store in
            guard let run = try await store.run(id) else {
                Console.error("troupe show: no run \(id) in \(store.path)")
                return .failure
            }
            if events {
                let history = try await store.events(of: id)
                if json {
                    Console.output(JSONWriter.write(.array(history.map(Self.json))))
                } else {
                    for event in history {
                        let details = event.details == .null ? "" : " " + JSONWriter.write(event.details, pretty: false)
                        Console.output("\(event.sequence)  \(RunRecord.timestamp(event.date))  \(event.kind)\(event.nodeID.map { " \($0)" } ?? "")\(details)")
                    }
                }
                return .success
            }
            let attempts = try await store.attempts(of: id)
            let definition = try await store.definition(run.definitionHash)
            if json {
                guard case .object(var object) = run.commandLineJSON else { return .failure }
                object["attempts"] = .array(attempts.map(Self.json))
                object["components"] = definition?.components ?? .null
                Console.output(JSONWriter.write(.object(object)))
            } else {
                Console.output(Self.text(run, attempts: attempts, components: definition?.components ?? []))
            }
            return .success
        }
    }

    private static func json(_ event: RunEventRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "sequence": .integer(event.sequence), "date": .string(RunRecord.timestamp(event.date)), "kind": .string(event.kind),
        ]
        if let node = event.nodeID { object["node"] = .string(node) }
        if event.details != .null { object["details"] = event.details }
        return .object(object)
    }

    private static func json(_ attempt: NodeAttemptRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "node": .string(attempt.nodeID), "attempt": .integer(attempt.attempt), "status": .string(attempt.status.rawValue),
            "started": .string(RunRecord.timestamp(attempt.startedAt)),
        ]
        if let ended = attempt.endedAt {
            object["ended"] = .string(RunRecord.timestamp(ended))
            object["duration"] = .double((ended.timeIntervalSince(attempt.startedAt) * 1e6).rounded() / 1e6)
        }
        if let output = attempt.output { object["output"] = output }
        if let error = attempt.error { object["error"] = .string(error) }
        if let type = attempt.errorType { object["errorType"] = .string(type) }
        return .object(object)
    }

    /// The run as text: a summary, the components, and each attempt on a timeline from the run's start.
    private static func text(_ run: RunRecord, attempts: [NodeAttemptRecord], components: JSONValue) -> String {
        var lines = [
            "run \(run.id)  \(run.workflowID)@\(run.workflowVersion)  \(run.status.rawValue)",
            "started \(RunRecord.timestamp(run.createdAt))" + (run.endedAt.map { "  ended \(RunRecord.timestamp($0))" } ?? ""),
            "nodes \(run.nodesCompleted)/\(run.nodeCount) completed, recovered \(run.recoveryAttempts) time\(run.recoveryAttempts == 1 ? "" : "s")",
        ]
        if let error = run.error { lines.append("error (\(run.errorType ?? "?")): \(error)") }
        let used = (components.arrayValue ?? []).map { entry in
            let name = entry["name"]?.stringValue ?? "?"
            let source = entry["source"]?.stringValue ?? "?"
            let plugin = entry["plugin"]?.stringValue.map { " \($0) \(entry["pluginVersion"]?.stringValue ?? "")" } ?? ""
            return "  \(entry["role"]?.stringValue ?? "") \(name): \(source)\(plugin)"
        }
        if !used.isEmpty { lines += ["components:"] + used }
        lines.append("timeline:")
        for attempt in attempts.sorted(by: { ($0.startedAt, $0.nodeID) < ($1.startedAt, $1.nodeID) }) {
            let offset = attempt.startedAt.timeIntervalSince(run.createdAt)
            let duration = attempt.endedAt.map { String(format: " %.3fs", $0.timeIntervalSince(attempt.startedAt)) } ?? ""
            let error = attempt.error.map { " — \($0)" } ?? ""
            lines.append(String(format: "  +%8.3fs  ", offset) + "\(attempt.nodeID) #\(attempt.attempt) \(attempt.status.rawValue)\(duration)\(error)")
        }
        return lines.joined(separator: "\n")
    }
}
