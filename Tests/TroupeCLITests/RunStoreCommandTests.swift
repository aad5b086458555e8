import Foundation
import Testing
import Troupe

/// `troupe run` recording runs, and the commands that read and change them: runs, show, prune,
/// cancel, pause, resume. Every test's store is in its scratch directory.
@Suite(.timeLimit(.minutes(2)))
struct RunStoreCommandTests {
    let scratch: Scratch

    init() throws { scratch = try Scratch() }

    var store: String { scratch.directory.appendingPathComponent("runs.db").path }

    /// The run id `troupe run` printed on standard error.
    static func runID(_ outcome: Outcome) -> String? {
        outcome.standardError.split(separator: "\n").first { $0.hasPrefix("run ") }.map { String($0.dropFirst(4)) }
    }

    @Test func runRecordsToTheDefaultStoreUnderXDGDataHome() async throws {
        let outcome = try await Invocation.run(["run", "Examples/hello.json"], scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.json?["status"] == "completed", "stdout stays the result JSON")
        let id = try #require(Self.runID(outcome), "\(outcome.standardError)")
        let path = scratch.directory.appendingPathComponent("data/troupe/troupe.db").path
        #expect(FileManager.default.fileExists(atPath: path))
        let listed = try await Invocation.run(["runs", "--json", "--store", path], scratch: scratch)
        #expect(listed.status == 0, "\(listed.standardError)")
        #expect(listed.json?.arrayValue?.first?["id"] == .string(id))
        #expect(listed.json?.arrayValue?.first?["status"] == "completed")
        #expect(listed.json?.arrayValue?.first?["nodesCompleted"] == 4)
    }

    @Test func noStoreRecordsNothingAndTroupeStoreIsHonoured() async throws {
        let none = try await Invocation.run(["run", "--no-store", "Examples/hello.json"], scratch: scratch)
        #expect(none.status == 0)
        #expect(Self.runID(none) == nil)
        #expect(!FileManager.default.fileExists(atPath: scratch.directory.appendingPathComponent("data").path))
        let byEnvironment = try await Invocation.run(["run", "Examples/hello.json"], scratch: scratch, environment: ["TROUPE_STORE": store])
        #expect(byEnvironment.status == 0)
        #expect(FileManager.default.fileExists(atPath: store))
        let both = try await Invocation.run(["run", "--no-store", "--store", store, "Examples/hello.json"], scratch: scratch)
        #expect(both.status == 2)
        #expect(both.standardError.contains("--store and --no-store exclude each other"))
    }

    @Test func runsFiltersAndShowPrintsAttemptsAndHistory() async throws {
        let failing = try scratch.write(
            "fail.json",
            """
            {"id": "fail", "version": "2.0.0",
             "nodes": [{"id": "boom", "kind": "shell", "config": {"script": "exit 3"},
                        "retry": {"maximumAttempts": 2, "initialInterval": 0.001}}]}
            """)
        _ = try await Invocation.run(["run", "Examples/hello.json", "--store", store], scratch: scratch)
        let failed = try await Invocation.run(["run", failing, "--store", store], scratch: scratch)
        #expect(failed.status == 1)
        let id = try #require(Self.runID(failed))
        let table = try await Invocation.run(["runs", "--store", store], scratch: scratch)
        #expect(table.standardOutput.contains("RUN"))
        #expect(table.standardOutput.contains("fail@2.0.0"))
        #expect(table.standardOutput.contains("hello@1.0.0"))
        let onlyFailed = try await Invocation.run(["runs", "--json", "--status", "failed", "--store", store], scratch: scratch)
        #expect(onlyFailed.json?.arrayValue?.map { $0["id"] } == [.string(id)])
        let ofHello = try await Invocation.run(["runs", "--json", "--workflow", "hello", "--limit", "5", "--store", store], scratch: scratch)
        #expect(ofHello.json?.arrayValue?.count == 1)
        let shown = try await Invocation.run(["show", id, "--json", "--store", store], scratch: scratch)
        #expect(shown.json?["status"] == "failed")
        let attempts = shown.json?["attempts"]?.arrayValue ?? []
        #expect(attempts.map { $0["attempt"] } == [1, 2], "\(shown.standardOutput)")
        #expect(attempts.allSatisfy { $0["status"] == "failed" && $0["node"] == "boom" })
        #expect(shown.json?["components"]?.arrayValue?.first?["name"] == "shell")
        let text = try await Invocation.run(["show", id, "--store", store], scratch: scratch)
        #expect(text.standardOutput.contains("timeline:"))
        #expect(text.standardOutput.contains("boom #2 failed"))
        let history = try await Invocation.run(["show", id, "--events", "--json", "--store", store], scratch: scratch)
        let kinds = history.json?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
        #expect(kinds.first == "runStarted")
        #expect(kinds.last == "runEnded")
        #expect(kinds.filter { $0 == "nodeStarted" }.count == 2)
    }

    @Test func pruneDeletesEndedRunsOlderThanTheAge() async throws {
        _ = try await Invocation.run(["run", "Examples/hello.json", "--store", store], scratch: scratch)
        let young = try await Invocation.run(["runs", "prune", "--older-than", "1d", "--store", store], scratch: scratch)
        #expect(young.standardOutput == "pruned 0 runs\n")
        let all = try await Invocation.run(["runs", "prune", "--older-than", "0s", "--status", "completed", "--store", store], scratch: scratch)
        #expect(all.standardOutput == "pruned 1 run\n", "\(all.standardError)")
        let listed = try await Invocation.run(["runs", "--json", "--store", store], scratch: scratch)
        #expect(listed.json == [])
        let bad = try await Invocation.run(["runs", "prune", "--store", store], scratch: scratch)
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("runs prune needs --older-than AGE"))
    }

    /// `troupe cancel` from another process: the process running the run honours it.
    @Test func cancelIsHonouredByTheProcessThatOwnsTheRun() async throws {
        let report = try ReportPipe(in: scratch)
        let file = try scratch.write(
            "long.json",
            """
            {"id": "long", "version": "1.0.0",
             "nodes": [{"id": "wait", "kind": "shell",
                        "config": {"script": "echo $TROUPE_RUN_ID > \\"$REPORT\\"; exec sleep 600", "environment": {"REPORT": "\(report.path)"}}}]}
            """)
        let running = try Invocation(["run", file, "--store", store], scratch: scratch)
        let id = await report.receiveLine()
        let cancel = try await Invocation.run(["cancel", id, "--store", store], scratch: scratch)
        #expect(cancel.status == 0, "\(cancel.standardError)")
        #expect(cancel.standardOutput.contains("asked the process running \(id) to cancel it"))
        let outcome = try await running.finished()
        #expect(outcome.status == 1)
        #expect(outcome.json?["status"] == "cancelled")
        let shown = try await Invocation.run(["show", id, "--json", "--store", store], scratch: scratch)
        #expect(shown.json?["status"] == "cancelled")
    }

    /// A run killed mid-way is resumed by `troupe resume RUN`, which prints the result like `troupe run`.
    @Test func resumeFinishesAKilledRunWithoutRerunningCompletedNodes() async throws {
        let report = try ReportPipe(in: scratch)
        let log = scratch.directory.appendingPathComponent("side.log").path
        let file = try scratch.write(
            "two.json",
            """
            {"id": "two", "version": "1.0.0",
             "nodes": [{"id": "first", "kind": "shell", "config": {"script": "echo $TROUPE_NODE_ID >> \\"$LOG\\"; echo first", "environment": {"LOG": "\(log)"}}},
                       {"id": "second", "kind": "shell",
                        "config": {"script": "echo $TROUPE_NODE_ID >> \\"$LOG\\"; if [ ! -e \\"$LOG.resumed\\" ]; then echo $TROUPE_RUN_ID $$ > \\"$REPORT\\"; exec sleep 600; fi; echo second",
                                   "environment": {"REPORT": "\(report.path)", "LOG": "\(log)"}}}],
             "edges": [{"from": "first", "to": "second"}]}
            """)
        let running = try Invocation(["run", file, "--store", store], scratch: scratch)
        let line = await report.receiveLine().split(separator: " ")
        let id = String(line.first ?? "")
        running.send(SIGKILL)
        // The shell outlives a killed troupe; it would hold the test's watch on troupe's exit open.
        let shell = try #require(line.last.flatMap { pid_t($0) })
        kill(shell, SIGKILL)
        _ = try await running.finished()
        #expect(FileManager.default.createFile(atPath: log + ".resumed", contents: nil))
        let listed = try await Invocation.run(["runs", "--json", "--store", store], scratch: scratch)
        #expect(listed.json?.arrayValue?.first?["status"] == "running", "a killed run stays running until resumed")
        let resumed = try await Invocation.run(["resume", id, "--store", store], scratch: scratch)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.json?["status"] == "completed")
        #expect(resumed.json?["nodes"]?["first"]?["output"] == "first")
        #expect(resumed.json?["nodes"]?["second"]?["output"] == "second")
        let ran = try String(contentsOfFile: log, encoding: .utf8)
        #expect(ran == "first\nsecond\nsecond\n", "first ran once, second twice")
        let again = try await Invocation.run(["resume", id, "--store", store], scratch: scratch)
        #expect(again.status == 1)
        #expect(again.standardError.contains("run \(id) is completed"))
    }

    /// `troupe cancel` of a run whose process was killed while its child workflow ran: the child
    /// run ends with it instead of staying `running`, and `troupe resume` refuses the child.
    @Test func cancellingAKilledParentCancelsItsChildRun() async throws {
        let report = try ReportPipe(in: scratch)
        let file = try scratch.write(
            "parent.json",
            """
            {"id": "parent", "version": "1.0.0",
             "nodes": [{"id": "child", "kind": "workflow", "config": {"definition": {"id": "inner", "version": "1.0.0",
               "nodes": [{"id": "hold", "kind": "shell",
                          "config": {"script": "echo $TROUPE_RUN_ID $$ > \\"$REPORT\\"; exec sleep 600", "environment": {"REPORT": "\(report.path)"}}}]}}}]}
            """)
        let running = try Invocation(["run", file, "--store", store], scratch: scratch)
        let line = await report.receiveLine().split(separator: " ")
        let child = String(line.first ?? "")
        running.send(SIGKILL)
        let shell = try #require(line.last.flatMap { pid_t($0) })
        kill(shell, SIGKILL)
        _ = try await running.finished()
        let listed = try await Invocation.run(["runs", "--json", "--store", store], scratch: scratch)
        let runs = try #require(listed.json?.arrayValue)
        #expect(runs.count == 2)
        #expect(runs.allSatisfy { $0["status"] == "running" })
        let parent = try #require(runs.first { $0["parent"] == nil }?["id"]?.stringValue)
        let cancel = try await Invocation.run(["cancel", parent, "--store", store], scratch: scratch)
        #expect(cancel.status == 0, "\(cancel.standardError)")
        #expect(cancel.standardOutput.contains("cancelled child run \(child)"), "\(cancel.standardOutput)")
        let shown = try await Invocation.run(["show", child, "--json", "--store", store], scratch: scratch)
        #expect(shown.json?["status"] == "cancelled")
        #expect(shown.json?["error"] == .string("cancelled because its parent run \(parent) ended cancelled"), "\(shown.standardOutput)")
        let resumed = try await Invocation.run(["resume", child, "--store", store], scratch: scratch)
        #expect(resumed.status == 1)
        #expect(resumed.standardError.contains("is cancelled"), "\(resumed.standardError)")
    }

    @Test func aStoreThatIsNotSQLiteIsNamedAndNothingRuns() async throws {
        let path = try scratch.write("bad.db", String(repeating: "not a database ", count: 600))
        let outcome = try await Invocation.run(["run", "Examples/hello.json", "--store", path], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.contains("store \(path): not an SQLite database"), "\(outcome.standardError)")
    }

    // `"backend": "store"` keeps a result across runs of troupe.
    @Test func aStoreBackedCacheHitsInTheNextRunOfTroupe() async throws {
        let marks = scratch.directory.appendingPathComponent("ran").path
        let file = try scratch.write(
            "cached.json",
            """
            {"id": "cached", "version": "1.0.0",
             "nodes": [{"id": "a", "kind": "shell", "config": {"script": "echo x >> \\"$MARKS\\"; echo '{\\"n\\": 1}'"},
                        "interceptors": [{"name": "cache", "config": {"ttl": 600, "backend": "store"}}]}]}
            """)
        let first = try await Invocation.run(["run", file, "--store", store], scratch: scratch, environment: ["MARKS": marks])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardError.contains("· a cache miss"), "\(first.standardError)")
        let second = try await Invocation.run(["run", file, "--store", store], scratch: scratch, environment: ["MARKS": marks])
        #expect(second.status == 0, "\(second.standardError)")
        #expect(second.standardError.contains("· a cache hit: cached result"), "\(second.standardError)")
        #expect(second.json?["nodes"]?["a"]?["output"] == ["n": 1])
        #expect(try String(contentsOfFile: marks, encoding: .utf8) == "x\n", "the node ran in the first run only")
        let none = try await Invocation.run(["run", file, "--no-store"], scratch: scratch, environment: ["MARKS": marks])
        #expect(none.status == 2)
        #expect(
            none.standardError.contains("nodes[0].interceptors[0].config.backend: interceptor \"cache\": \"store\" needs a runtime with a run store"),
            "\(none.standardError)")
        // Validating and explaining record nothing, not even in the per-user store.
        let valid = try await Invocation.run(["validate", file], scratch: scratch)
        #expect(valid.status == 0, "\(valid.standardError)")
        let explained = try await Invocation.run(["explain", file], scratch: scratch)
        #expect(explained.status == 0, "\(explained.standardError)")
        #expect(explained.standardOutput.contains("cache"))
        #expect(!FileManager.default.fileExists(atPath: scratch.directory.appendingPathComponent("data").path))
        let stressed = try await Invocation.run(["stress", file, "--instances", "2"], scratch: scratch)
        #expect(stressed.status == 2 && stressed.standardError.contains("troupe stress --store PATH"), "\(stressed.standardError)")
    }
}
