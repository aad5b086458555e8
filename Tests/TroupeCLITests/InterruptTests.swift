import Testing

/// Ctrl-C during `troupe run`.
@Suite(.timeLimit(.minutes(1)))
struct InterruptTests {
    /// Holds the fixture and captured output.
    let scratch: Scratch

    /// Gives each test a fresh directory.
    init() throws { scratch = try Scratch() }

    /// SIGINT cancels the instance, and the partial result is still printed, with exit status 1.
    @Test func interruptCancelsAndPrintsThePartialResult() async throws {
        let file = try scratch.write("long.json", """
            {"id": "long", "version": "1.0.0",
             "nodes": [{"id": "quick", "kind": "sleep", "config": {"seconds": 0}},
                       {"id": "nap", "kind": "sleep", "config": {"seconds": 30}},
                       {"id": "snore", "kind": "shell", "config": {"command": "sleep", "arguments": [30]}},
                       {"id": "after", "kind": "sleep", "config": {"seconds": 0}}],
             "edges": [{"from": "quick", "to": "nap"}, {"from": "quick", "to": "snore"}, {"from": "nap", "to": "after"}]}
            """)
        let run = try Invocation(["run", file], scratch: scratch)
        let clock = ContinuousClock()
        // Generous limits: a sanitizer build starts slowly, and the nodes sleep for 30 s anyway.
        let started = clock.now + .seconds(20)
        while !(run.standardErrorSoFar.contains("▶ nap") && run.standardErrorSoFar.contains("▶ snore")) && clock.now < started {
            try await Task.sleep(for: .milliseconds(20))
        }
        // Repeated because the signal source registers asynchronously: a signal before that is ignored.
        let deadline = clock.now + .seconds(10)
        while run.isRunning && clock.now < deadline {
            run.interrupt()
            try await Task.sleep(for: .milliseconds(100))
        }
        let outcome = try await run.finished()
        #expect(outcome.exitedNormally, "killed by signal \(outcome.status)")
        #expect(outcome.status == 1)
        let json = try #require(outcome.json, "stdout is not JSON: \(outcome.standardOutput)\n\(outcome.standardError)")
        #expect(json["status"] == "cancelled")
        #expect(outcome.nodeStatus("quick") == "completed")
        #expect(outcome.nodeStatus("nap") == "cancelled")
        #expect(outcome.nodeStatus("snore") == "cancelled")
        #expect(outcome.nodeStatus("after") == "cancelled")
        #expect(outcome.standardError.contains("■ long cancelled"))
    }
}
