import Foundation
import Testing
import Troupe

/// SIGINT and SIGTERM during `troupe resume`: handled as `troupe run` handles them.
@Suite(.timeLimit(.minutes(2)))
struct ResumeInterruptTests {
    let scratch: Scratch

    init() throws { scratch = try Scratch() }

    /// A run killed while its second node runs is resumed; once that node runs again, `signal`
    /// cancels it: its shell process is killed, the partial result printed, the run recorded cancelled.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalCancelsTheResumedRunAndPrintsThePartialResult(signal: Int32) async throws {
        let store = scratch.directory.appendingPathComponent("runs.db").path
        let report = try ReportPipe(in: scratch)
        let file = try scratch.write(
            "two.json",
            """
            {"id": "two", "version": "1.0.0",
             "nodes": [{"id": "first", "kind": "shell", "config": {"script": "echo first"}},
                       {"id": "second", "kind": "shell",
                        "config": {"script": "echo $TROUPE_RUN_ID $$ > \\"$REPORT\\"; exec sleep 600", "environment": {"REPORT": "\(report.path)"}}}],
             "edges": [{"from": "first", "to": "second"}]}
            """)
        let running = try Invocation(["run", file, "--store", store], scratch: scratch)
        let line = await report.receiveLine().split(separator: " ")
        let id = String(line.first ?? "")
        running.send(SIGKILL)
        // The shell outlives a killed troupe; it would hold the test's watch on troupe's exit open.
        let killed = try #require(line.last.flatMap { pid_t($0) })
        kill(killed, SIGKILL)
        _ = try await running.finished()

        let resuming = try Invocation(["resume", id, "--store", store], scratch: scratch)
        let pid = try #require(pid_t(await report.receiveLine().split(separator: " ").last ?? ""), "the resumed node never reported its pid")
        resuming.send(signal)
        let outcome = try await resuming.finished()
        #expect(outcome.exitedNormally, "killed by signal \(outcome.status)")
        #expect(outcome.status == (signal == SIGINT ? 130 : 143), "\(outcome.standardError)")
        #expect(outcome.json?["status"] == "cancelled", "\(outcome.standardOutput)\n\(outcome.standardError)")
        #expect(outcome.nodeStatus("first") == "completed")
        #expect(outcome.nodeStatus("second") == "cancelled")
        #expect(outcome.standardError.contains("✔ first"), "the replayed history shows the first node's completion")
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the resumed shell node's process \(pid) survived troupe")
        let shown = try await Invocation.run(["show", id, "--json", "--store", store], scratch: scratch)
        #expect(shown.json?["status"] == "cancelled")
    }
}
