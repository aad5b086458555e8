import Foundation
@_spi(Development) import Troupe

/// `troupe runs`: lists the store's runs, or prunes old ones (`troupe runs prune`).
struct RunsCommand: Command {
    /// Selects the command.
    static let name = "runs"
    /// Shown in the usage.
    static let synopsis = "runs [--status S] [--workflow ID] [--since T] [--limit N] [--json] | runs prune --older-than AGE [--status S]"
    /// Shown in the usage and the help.
    static let summary = "List recorded runs, or delete ended ones older than AGE."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
          --status S        only runs with this status (running, paused, completed, failed, cancelled, timedOut, blocked)
          --workflow ID     only runs of this workflow
          --since T         only runs started since T: an ISO 8601 date, or an age such as 30m, 12h, 7d
          --limit N         at most N runs, newest first (default 50)
          --json            one JSON array instead of the table
          --older-than AGE  (prune) delete runs that ended more than AGE ago (90s, 30m, 12h, 7d), in batches
        \(StoreSelection.help)
          -h, --help        show this help
        """
    /// The options that take a value.
    static let options: Set<String> = StoreSelection.options.union(["status", "workflow", "since", "limit", "older-than"])
    /// Flags it takes.
    static let flags: Set<String> = ["json"]

    let store: StoreSelection
    let query: RunQuery
    let json: Bool
    /// With `prune`: how old an ended run must be to go.
    let pruneAge: TimeInterval?

    /// Checks the options.
    init(_ arguments: Arguments) throws(UsageError) {
        store = try StoreSelection(arguments)
        json = arguments.has("json")
        var query = RunQuery(limit: 50)
        if let text = arguments[option: "status"] {
            guard let status = RunStatus(rawValue: text) else {
                throw UsageError(message: "--status takes one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
            }
            query.status = status
        }
        query.workflowID = arguments[option: "workflow"]
        if let text = arguments[option: "since"] {
            guard let date = RunRecord.moment(text) else { throw UsageError(message: "--since takes an ISO 8601 date or an age such as 7d, not \"\(text)\"") }
            query.since = date
        }
        if let text = arguments[option: "limit"] {
            guard let limit = Int(text), limit > 0 else { throw UsageError(message: "--limit takes a positive number, not \"\(text)\"") }
            query.limit = limit
        }
        self.query = query
        if (try? arguments.singleOperand("prune")) == "prune" {
            guard let text = arguments[option: "older-than"] else { throw UsageError(message: "runs prune needs --older-than AGE") }
            guard let age = RunRecord.age(text) else { throw UsageError(message: "--older-than takes an age such as 90s, 30m, 12h or 7d, not \"\(text)\"") }
            pruneAge = age
        } else {
            try arguments.noOperands()
            guard arguments[option: "older-than"] == nil else { throw UsageError(message: "--older-than is for troupe runs prune") }
            pruneAge = nil
        }
    }

    /// Lists or prunes.
    func run() async -> ExitStatus {
        await store.using(for: Self.name) { store in
            if let pruneAge {
                let count = try await store.prune(endedBefore: Date().addingTimeInterval(-pruneAge), status: query.status)
                Console.output("pruned \(count) run\(count == 1 ? "" : "s")")
                return .success
            }
            let runs = try await store.runs(query)
            if json {
                Console.output(JSONWriter.write(.array(runs.map(\.commandLineJSON))))
            } else {
                Console.output(TextTable.render(header: ["RUN", "WORKFLOW", "STATUS", "STARTED", "DURATION", "NODES"], rows: runs.map(\.tableRow)))
            }
            return .success
        }
    }
}
