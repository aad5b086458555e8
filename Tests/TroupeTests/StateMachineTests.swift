import Testing
import Troupe

@Suite("Status state machines", .timeLimit(.minutes(2)))
struct StateMachineTests {
    @Test("node transitions allowed are exactly the documented ones")
    func nodeTransitions() {
        let allowed: Set<String> = [
            "pending→running", "pending→skipped", "pending→cancelled",
            "running→retrying", "running→completed", "running→failed", "running→cancelled", "running→timedOut",
            // A retry's wait can end the node too: an outer timeout, a cancel, an outer fallback.
            "retrying→running", "retrying→completed", "retrying→cancelled", "retrying→failed", "retrying→timedOut",
        ]
        for from in NodeStatus.allCases {
            for to in NodeStatus.allCases {
                #expect(from.canTransition(to: to) == allowed.contains("\(from.rawValue)→\(to.rawValue)"), "\(from) → \(to)")
            }
        }
        #expect(NodeStatus.allCases.filter(\.isTerminal).allSatisfy { status in NodeStatus.allCases.allSatisfy { !status.canTransition(to: $0) } })
    }

    @Test("instance transitions allowed are exactly the documented ones")
    func instanceTransitions() {
        let allowed: Set<String> = [
            "pending→running", "pending→cancelled", "running→paused", "paused→running",
            "running→completed", "running→failed", "running→cancelled", "running→timedOut",
            // Paused with nothing left to start: the nodes that were running decide how it ends.
            "paused→completed", "paused→cancelled", "paused→timedOut", "paused→failed",
        ]
        for from in InstanceStatus.allCases {
            for to in InstanceStatus.allCases {
                #expect(from.canTransition(to: to) == allowed.contains("\(from.rawValue)→\(to.rawValue)"), "\(from) → \(to)")
            }
        }
    }

    @Test("a retried node goes running → retrying → running → completed, as its events show")
    func retriedNodeEvents() async throws {
        let clock = VirtualClockFixture()
        let runtime = Fixtures.runtime(clock: clock.clock)
        let attempts = Counter()
        try runtime.register(kind: "flaky") { call in
            if attempts.increment() < 3 { throw ExecutionError(type: "Flaky", message: "try again") }
            return "ok"
        }
        let definition = WorkflowDefinition(
            id: "r", nodes: [NodeDefinition("x", kind: "flaky", retry: RetryPolicy(maximumAttempts: 5, initialInterval: .seconds(1)))])
        let handle = try await runtime.start(definition)
        await clock.advance(through: 2, by: .seconds(10))
        let result = try await handle.result
        #expect(result.nodes["x"] == NodeReport(status: .completed, output: "ok", attempts: 3, duration: result.nodes["x"]!.duration))
        let kinds = await handle.eventKinds()
        #expect(
            kinds.map(\.label) == [
                "instanceStarted", "nodeStarted x 1", "nodeRetrying x 1", "nodeStarted x 2", "nodeRetrying x 2", "nodeStarted x 3", "nodeCompleted x",
                "completed",
            ])
    }
}
