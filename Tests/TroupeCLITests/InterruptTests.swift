import Foundation
import Testing

/// SIGINT and SIGTERM during `troupe run`.
@Suite(.timeLimit(.minutes(1)))
struct InterruptTests {
    /// Holds the fixture and captured output.
    let scratch: Scratch

    /// Gives each test a fresh directory.
    init() throws { scratch = try Scratch() }

    /// SIGINT cancels the instance, kills the shell process, prints the partial result and exits 130.
    @Test func interruptCancelsAndPrintsThePartialResult() async throws {
        let (outcome, pid) = try await stop(with: [SIGINT])
        #expect(outcome.status == 130)
        expectCleanCancel(outcome, pid)
    }

    /// SIGTERM, what service managers and `docker stop` send, does the same and exits 143.
    @Test func terminateCancelsAndPrintsThePartialResult() async throws {
        let (outcome, pid) = try await stop(with: [SIGTERM])
        #expect(outcome.status == 143)
        expectCleanCancel(outcome, pid)
    }

    /// Two signals at once: the second usually comes before the cancel is done and exits at once with
    /// the result as far as the command has seen it, else the run ends as after one. Either way one
    /// result is printed, the status is the first signal's, and the shell process, killed by the
    /// first signal or on the way out, dies.
    @Test func secondSignalExitsWithOneResult() async throws {
        let (outcome, pid) = try await stop(with: [SIGTERM, SIGINT])
        #expect(outcome.json?["status"] == "cancelled")
        // Both pending at once, the kernel delivers the lower number, SIGINT, first.
        let forcedBy = ["SIGINT", "SIGTERM"].first { outcome.standardError.contains("■ \($0) again: exiting") }
        switch forcedBy {
        case "SIGINT"?: #expect(outcome.status == 143)
        case "SIGTERM"?: #expect(outcome.status == 130)
        default: #expect([130, 143].contains(outcome.status))
        }
        if forcedBy != nil {
            // Nodes the command saw still running are named; what it had not seen yet stays pending.
            let running = ["nap", "snore"].filter { outcome.nodeStatus($0) == "running" }
            let error = outcome.json?["error"]?.stringValue ?? ""
            #expect(running.isEmpty ? error == "cancelled" : error.hasPrefix("exited without waiting for nodes that did not stop: "), "\(error)")
        } else {
            expectCleanCancel(outcome, pid)
        }
        // A forced exit leaves the killed shell to init to reap: wait for its end, not for its pid to vanish.
        #expect(await ProcessExit.wait(for: pid), "the shell node's process \(pid) survived troupe")
    }

    /// A node whose Swift code ignores cancellation keeps the instance from ending after the first
    /// SIGTERM; the second exits at once with the partial result, naming that node.
    @Test func secondSignalDoesNotWaitForCodeThatIgnoresCancellation() async throws {
        let plugin = try await StubbornPlugin.build(in: scratch)
        let report = try ReportPipe(in: scratch)
        let gate = try ReportPipe(in: scratch)
        let file = try scratch.write(
            "stubborn.json",
            """
            {"id": "stubborn", "version": "1.0.0",
             "nodes": [{"id": "stuck", "kind": "stubborn", "config": {"report": "\(report.path)", "gate": "\(gate.path)"}},
                       {"id": "snore", "kind": "shell",
                        "config": {"script": "echo $$ > \\"$REPORT\\"; exec sleep 600", "environment": {"REPORT": "\(report.path)"}}}]}
            """)
        let run = try Invocation(["run", file, "--plugin", plugin], scratch: scratch)
        let lines = [await report.receiveLine(), await report.receiveLine()]
        let pid = try #require(lines.compactMap { pid_t($0) }.first, "the shell node never reported its pid: \(lines)")
        run.send(SIGTERM)
        // The first signal has been handled once the cancel has killed the shell.
        #expect(await ProcessExit.wait(for: pid))
        run.send(SIGTERM)
        let outcome = try await run.finished()
        #expect(outcome.exitedNormally, "killed by signal \(outcome.status)")
        #expect(outcome.status == 143)
        #expect(outcome.json?["status"] == "cancelled", "\(outcome.standardOutput)\n\(outcome.standardError)")
        #expect(outcome.nodeStatus("stuck") == "running")
        // The shell's end may not have reached the command's events yet, so it may be named too.
        #expect(["cancelled", "running"].contains(outcome.nodeStatus("snore")))
        let error = outcome.json?["error"]?.stringValue ?? ""
        #expect(error.hasPrefix("exited without waiting for nodes that did not stop: ") && error.contains("stuck"), "\(error)")
        #expect(outcome.standardError.contains("■ SIGTERM again: exiting without waiting for "))
    }

    /// Runs a workflow whose shell node reports its pid, sends `signals` once it has, and returns how
    /// the run ended and the shell's pid.
    private func stop(with signals: [Int32]) async throws -> (Outcome, pid_t) {
        let report = try ReportPipe(in: scratch)
        let file = try scratch.write(
            "long.json",
            """
            {"id": "long", "version": "1.0.0",
             "nodes": [{"id": "quick", "kind": "sleep", "config": {"seconds": 0}},
                       {"id": "nap", "kind": "sleep", "config": {"seconds": 600}},
                       {"id": "snore", "kind": "shell",
                        "config": {"script": "echo $$ > \\"$REPORT\\"; exec sleep 600", "environment": {"REPORT": "\(report.path)"}}},
                       {"id": "after", "kind": "sleep", "config": {"seconds": 0}}],
             "edges": [{"from": "quick", "to": "nap"}, {"from": "quick", "to": "snore"}, {"from": "nap", "to": "after"}]}
            """)
        let run = try Invocation(["run", file], scratch: scratch)
        // The signal handlers are installed before the instance starts, so they are in place now.
        let pid = try #require(pid_t(await report.receiveLine()), "the shell node never reported its pid")
        for signal in signals { run.send(signal) }
        let outcome = try await run.finished()
        #expect(outcome.exitedNormally, "killed by signal \(outcome.status)")
        #expect(outcome.json != nil, "stdout is not one JSON value: \(outcome.standardOutput)\n\(outcome.standardError)")
        return (outcome, pid)
    }

    /// The instance was cancelled, every node reported, and the shell's process reaped.
    private func expectCleanCancel(_ outcome: Outcome, _ pid: pid_t) {
        #expect(outcome.json?["status"] == "cancelled")
        #expect(outcome.nodeStatus("quick") == "completed")
        #expect(outcome.nodeStatus("nap") == "cancelled")
        #expect(outcome.nodeStatus("snore") == "cancelled")
        #expect(outcome.nodeStatus("after") == "cancelled")
        #expect(outcome.standardError.contains("■ long cancelled"))
        // The runtime reaps the shell it killed before the node ends, so its pid names nothing now.
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the shell node's process \(pid) survived troupe")
    }
}
