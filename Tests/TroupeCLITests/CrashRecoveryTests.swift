import CSQLite
import Foundation
import Testing

@_spi(Development) @testable import Troupe

/// The durable-execution guarantee end to end: `troupe run` on a 40-node workflow (fan-out,
/// conditions, a retried node, a child workflow, shell nodes logging their node and run ids to a
/// side log) is killed with SIGKILL at 20 seeded random points, each after a random number of node
/// executions, and resumed with `troupe resume --all` each time. From the side log: no node whose
/// completion was committed ever ran again (the child workflow's included, in its child run, which
/// the resumed parent re-attaches to every time), every node ran, and the result equals an
/// uninterrupted run's; the store passes `PRAGMA integrity_check`.
@Suite(.timeLimit(.minutes(5)))
struct CrashRecoveryTests {
    let scratch: Scratch

    init() throws { scratch = try Scratch() }

    /// The workflow, its shell nodes logging to `log`. When troupe's environment names FIFOs
    /// `REPORT` and `GATE`, each node announces its execution on `REPORT` and waits for a line on
    /// `GATE`: troupe then cannot get ahead of the test, however slowly the test is scheduled.
    static func workflow(log: String, markers: String) -> String {
        func shell(_ id: String, output: String? = nil, extra: String = "") -> String {
            let script =
                "\(extra)echo \\\"$TROUPE_NODE_ID $TROUPE_RUN_ID\\\" >> \\\"$LOG\\\"; if [ -n \\\"$GATE\\\" ]; then echo x > \\\"$REPORT\\\"; read go < \\\"$GATE\\\"; fi; echo \(output ?? "$TROUPE_NODE_ID")"
            return """
                {"id": "\(id)", "kind": "shell", "config": {"script": "\(script)", "environment": {"LOG": "\(log)", "MARKERS": "\(markers)"}}}
                """
        }
        let fan = (0..<12).map { "f\($0)" }
        let chain = (0..<20).map { "c\($0)" }
        var nodes = [shell("start"), shell("check", output: "go"), shell("yes"), shell("no"), shell("join"), shell("end")]
        nodes += fan.map { shell($0) } + chain.map { shell($0) }
        // Fails its first execution in each run, then succeeds: retried by its policy, whose limit
        // counts the attempts of every process (a kill may catch any of them), so it is high.
        let flaky = shell("flaky", extra: "if [ ! -e \\\"$MARKERS/flaky.$TROUPE_RUN_ID\\\" ]; then touch \\\"$MARKERS/flaky.$TROUPE_RUN_ID\\\"; exit 1; fi; ")
        nodes.append(String(flaky.dropLast()) + #", "retry": {"maximumAttempts": 30, "initialInterval": 0.001}}"#)
        let inner = ["x0", "x1", "x2"].map { shell($0) }.joined(separator: ", ")
        nodes.append(
            """
            {"id": "child", "kind": "workflow", "config": {"definition": {"id": "inner", "version": "1.0.0", "nodes": [\(inner)],
             "edges": [{"from": "x0", "to": "x1"}, {"from": "x1", "to": "x2"}]}}}
            """)
        var edges = [#"{"from": "start", "to": "check"}"#, #"{"from": "start", "to": "flaky"}"#, #"{"from": "start", "to": "child"}"#]
        edges.append(#"{"from": "check", "to": "yes", "when": {"pointer": "", "equals": "go"}}"#)
        edges.append(#"{"from": "check", "to": "no", "when": {"pointer": "", "equals": "stop"}}"#)
        edges += fan.map { #"{"from": "start", "to": "\#($0)"}"# } + fan.map { #"{"from": "\#($0)", "to": "join"}"# }
        edges += zip(["join"] + chain, chain).map { #"{"from": "\#($0)", "to": "\#($1)"}"# }
        edges += ["c19", "yes", "flaky", "child"].map { #"{"from": "\#($0)", "to": "end"}"# }
        return """
            {"id": "crash", "version": "1.0.0", "nodes": [\(nodes.joined(separator: ",\n"))], "edges": [\(edges.joined(separator: ", "))]}
            """
    }

    /// How many times each node ran in run `id`, from the side log.
    static func executions(_ log: String, run id: String) -> [String: Int] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2 && fields[1] == id { counts[String(fields[0]), default: 0] += 1 }
        }
        return counts
    }

    /// Whether `process` announced `count` executions before it exited, letting all but the last go on.
    static func announced(_ count: Int, on report: ReportPipe, gate: ReportPipe, by process: Invocation) async -> Bool {
        for index in 1...count {
            guard await announcedOne(on: report, by: process) else { return false }
            if index < count { gate.send("go") }
        }
        return true
    }

    /// Whether `process` announced one more execution before it exited.
    static func announcedOne(on report: ReportPipe, by process: Invocation) async -> Bool {
        let pid = process.processIdentifier
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = await report.receiveLine()
                return true
            }
            group.addTask {
                // A pidfd that cannot be opened under load also reads as an exit: confirm it in /proc.
                while !Task.isCancelled {
                    if await ProcessExit.wait(for: pid) && hasExited(pid) { return false }
                    await Task.yield()
                }
                return true
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Whether `pid` is gone or a zombie, from `/proc`.
    static func hasExited(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }

    @Test func killedTwentyTimesNoCommittedNodeRunsAgain() async throws {
        let directory = scratch.directory.path
        let store = "\(directory)/crash.db"
        let log = "\(directory)/side.log"
        let file = try scratch.write("crash.json", Self.workflow(log: log, markers: directory))
        let referenceFile = try scratch.write("reference.json", Self.workflow(log: "\(directory)/reference.log", markers: directory))
        let reference = try await Invocation.run(["run", referenceFile, "--no-store"], scratch: scratch)
        #expect(reference.status == 0, "\(reference.standardError)")

        var random = SeededRandom(seed: 20_261_201)
        var committedAt: [String: Int] = [:]
        var kills = 0
        var runID: String?
        // Each round's FIFOs stay open to the end: shells a kill left behind finish on them, not on a later round's.
        var pipes: [ReportPipe] = []
        for round in 0..<20 {
            let report = try ReportPipe(in: scratch)
            let gate = try ReportPipe(in: scratch)
            pipes += [report, gate]
            let arguments = round == 0 ? ["run", file] : ["resume", "--all", "--max-recoveries", "100"]
            let process = try Invocation(
                arguments + ["--store", store], scratch: scratch, environment: ["REPORT": report.path, "GATE": gate.path])
            guard await Self.announced(Int.random(in: 1...3, using: &random), on: report, gate: gate, by: process) else {
                let outcome = try await process.finished()
                Issue.record("round \(round): troupe exited \(outcome.status) before it was killed: \(outcome.standardError)")
                break
            }
            process.send(SIGKILL)
            #expect(await ProcessExit.wait(for: process.processIdentifier))
            kills += 1
            // What the killed process had committed, and how often each node had run by then.
            let reader = try SQLiteRunStore(path: store)
            let runs = try await reader.runs(RunQuery())
            let id = try #require(runs.first { $0.parentRunID == nil }?.id)
            runID = id.rawValue
            // The child workflow's nodes are those of a run of its own, whose id they log.
            for run in [id] + runs.filter({ $0.parentRunID == id }).map(\.id) {
                let counts = Self.executions(log, run: run.rawValue)
                for attempt in try await reader.attempts(of: run) where attempt.status == .completed {
                    let key = "\(attempt.nodeID) \(run)"
                    if committedAt[key] == nil { committedAt[key] = counts[attempt.nodeID] ?? 0 }
                }
            }
            await reader.close()
        }
        #expect(kills == 20, "the run ended before it was killed 20 times")
        let last = try await Invocation.run(["resume", "--all", "--max-recoveries", "100", "--store", store], scratch: scratch)
        #expect(last.status == 0, "\(last.standardError)")
        // The shells the kills left waiting at their gates finish now.
        for pipe in pipes { pipe.send(Array(repeating: "go", count: 16).joined(separator: "\n")) }

        let id = try #require(runID.flatMap(RunID.init))
        let reader = try SQLiteRunStore(path: store)
        let run = try #require(try await reader.run(id))
        #expect(run.status == .completed, "\(run.error ?? "")")
        for (key, count) in committedAt {
            let fields = key.split(separator: " ").map(String.init)
            // A node that logs nothing (the `workflow` node, whose child run's nodes log) counts 0 then as now.
            #expect(Self.executions(log, run: fields[1])[fields[0], default: 0] == count, "\(key) ran again after its completion was committed")
        }
        let children = try await reader.runs(RunQuery()).filter { $0.parentRunID == id }
        #expect(children.count == 1, "the resumed child node re-attached to its child run every time")
        var counts = Self.executions(log, run: id.rawValue)
        for child in children { counts.merge(Self.executions(log, run: child.id.rawValue)) { $0 + $1 } }
        let nodes = (try JSONParser.parse(try String(contentsOfFile: file, encoding: .utf8)))["nodes"]?.arrayValue ?? []
        for node in nodes.compactMap({ $0["id"]?.stringValue }) + ["x0", "x1", "x2"] where node != "no" && node != "child" {
            #expect((counts[node] ?? 0) >= 1, "\(node) never ran")
        }
        #expect(counts["no"] == nil, "the false branch ran")
        var expected: [String: JSONValue] = [:]
        for (node, report) in reference.json?["nodes"]?.objectValue ?? [:] where report["status"] == "completed" {
            expected[node] = report["output"]
        }
        #expect(run.output == .object(expected))
        #expect(expected.count == 39)
        // Entries commit in the order of their numbers: a kill loses only a run's last ones, so the history has no gap.
        for stored in [id] + children.map(\.id) {
            let sequences = try await reader.events(of: stored).map(\.sequence)
            #expect(sequences == Array(0..<sequences.count), "run \(stored)'s history across the kills: \(sequences)")
        }
        await reader.close()
        #expect(try Self.integrityCheck(store) == "ok")
    }

    static func integrityCheck(_ path: String) throws -> String {
        var database: OpaquePointer?
        guard sqlite3_open_v2(path, &database, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { return "cannot open" }
        defer { sqlite3_close(database) }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, "PRAGMA integrity_check", -1, &statement, nil) == SQLITE_OK else { return "cannot prepare" }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return "no answer" }
        return String(cString: text)
    }
}
