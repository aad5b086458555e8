import Foundation
import Testing
import Troupe

/// `troupe signal` from another process reaches a `wait` node of a run `troupe run` is running.
@Suite(.timeLimit(.minutes(2)))
struct SignalCommandTests {
    let scratch: Scratch

    init() throws { scratch = try Scratch() }

    var store: String { scratch.directory.appendingPathComponent("runs.db").path }

    /// `announce` writes the run id to `report`, then `approval` waits for the signal `approve`.
    func approvalWorkflow(report: ReportPipe) throws -> String {
        try scratch.write(
            "approval.json",
            """
            {"id": "approval", "version": "1.0.0",
             "nodes": [{"id": "announce", "kind": "shell",
                        "config": {"script": "echo $TROUPE_RUN_ID > \\"$REPORT\\"", "environment": {"REPORT": "\(report.path)"}}},
                       {"id": "approval", "kind": "wait", "config": {"signal": "approve"}}],
             "edges": [{"from": "announce", "to": "approval"}]}
            """)
    }

    @Test func aSignalFromAnotherProcessCompletesTheWaitNodeWithItsValue() async throws {
        let report = try ReportPipe(in: scratch)
        let running = try Invocation(["run", try approvalWorkflow(report: report), "--store", store], scratch: scratch)
        let id = await report.receiveLine()
        let signal = try await Invocation.run(["signal", id, "approve", #"{"by": "ada"}"#, "--store", store], scratch: scratch)
        #expect(signal.status == 0, "\(signal.standardError)")
        #expect(signal.standardOutput.contains("recorded signal approve for \(id)"))
        let outcome = try await running.finished()
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.json?["status"] == "completed")
        #expect(outcome.json?["nodes"]?["approval"]?["output"] == ["by": "ada"])
        let shown = try await Invocation.run(["show", id, "--json", "--store", store], scratch: scratch)
        #expect(shown.json?["signals"]?.arrayValue?.first?["status"] == "delivered", "\(shown.standardOutput)")
        #expect(shown.json?["signals"]?.arrayValue?.first?["value"] == ["by": "ada"])

        // The run has ended: a second signal is refused, naming the run.
        let late = try await Invocation.run(["signal", id, "approve", "true", "--store", store], scratch: scratch)
        #expect(late.status == 1)
        #expect(late.standardError.contains("run \(id) is completed"), "\(late.standardError)")
    }

    @Test func aSignalNoWaitNodeTakesAndBadOperandsAreRefused() async throws {
        let report = try ReportPipe(in: scratch)
        let running = try Invocation(["run", try approvalWorkflow(report: report), "--store", store], scratch: scratch)
        let id = await report.receiveLine()
        let unknown = try await Invocation.run(["signal", id, "reject", "1", "--store", store], scratch: scratch)
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains(#"no wait node for signal "reject": its wait nodes take "approve""#), "\(unknown.standardError)")
        let malformed = try await Invocation.run(["signal", id, "approve", "{oops", "--store", store], scratch: scratch)
        #expect(malformed.status == 2)
        #expect(malformed.standardError.contains("JSON: malformed JSON"), "\(malformed.standardError)")
        let missing = try await Invocation.run(["signal", id, "approve", "--store", store], scratch: scratch)
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("missing JSON"), "\(missing.standardError)")
        let notARun = try await Invocation.run(["signal", "nope", "approve", "1", "--store", store], scratch: scratch)
        #expect(notARun.status == 2)
        let signal = try await Invocation.run(["signal", id, "approve", #""yes""#, "--store", store], scratch: scratch)
        #expect(signal.status == 0, "\(signal.standardError)")
        let outcome = try await running.finished()
        #expect(outcome.json?["nodes"]?["approval"]?["output"] == "yes")
    }
}
