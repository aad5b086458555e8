import Testing
import TroupeTesting

@testable import Troupe

@Suite("Chaos interceptor", .timeLimit(.minutes(2)))
struct ChaosInterceptorTests {
    /// The end of a chain: returns the node id.
    struct Passing: NodeHandler {
        func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue { .string(call.nodeID) }
    }

    /// The error type each of `count` calls ended with (`nil` when it passed), instances 1…count.
    static func pattern(_ config: ChaosConfig, count: Int = 400, metadata: (Int) -> [String: String] = { _ in [:] }) async -> [String?] {
        let chaos = ChaosInterceptor(config: config, clock: VirtualClock())
        var outcomes: [String?] = []
        for index in 1...count {
            let call = NodeCall(
                instanceID: InstanceID(rawValue: UInt64(index)), workflowID: "w", nodeID: "n", kind: "k", attempt: 1 + index % 3,
                metadata: metadata(index))
            do {
                _ = try await chaos.intercept(call, context: RecordingNodeContext(), next: Passing())
                outcomes.append(nil)
            } catch {
                outcomes.append(errorTypeName(of: error))
            }
        }
        return outcomes
    }

    @Test("a seeded failure pattern replays identically, and another seed gives another pattern")
    func replay() async {
        let config = ChaosConfig(seed: 42, failureRate: 0.3)
        let first = await Self.pattern(config)
        let second = await Self.pattern(config)
        #expect(first == second)
        #expect(await Self.pattern(ChaosConfig(seed: 43, failureRate: 0.3)) != first)
        let failures = first.compactMap { $0 }
        #expect(Set(failures) == ["ChaosFailure"])
        // 400 draws at 0.3: 120 expected, the bounds are more than 5 standard deviations (9.2) away.
        #expect((70...170).contains(failures.count))
    }

    @Test("a per-instance seed in the metadata replaces the configured seed and the instance id")
    func metadataSeed() async {
        let seeded: (Int) -> [String: String] = { _ in [ChaosInterceptor.seedMetadataKey: "9"] }
        let one = await Self.pattern(ChaosConfig(seed: 1, failureRate: 0.5), metadata: seeded)
        let other = await Self.pattern(ChaosConfig(seed: 2, failureRate: 0.5), metadata: seeded)
        #expect(one == other)
        // With the instance id out of the stream, only the attempt (1 + index % 3) varies the draw.
        #expect(Set(one.enumerated().map { "\($0.offset % 3)\($0.element ?? "-")" }).count == 3)
    }

    @Test("non-retryable failures are ChaosFatal; a rate of 0 never fails and 1 always does")
    func rates() async {
        #expect(await Self.pattern(ChaosConfig(failureRate: 1, retryable: false), count: 50).allSatisfy { $0 == "ChaosFatal" })
        #expect(await Self.pattern(ChaosConfig(failureRate: 0), count: 50).allSatisfy { $0 == nil })
    }

    /// The delays of `count` concurrent calls, each woken after it slept.
    static func delays(_ latency: ChaosLatency, count: Int = 1000) async throws -> [Double] {
        let clock = VirtualClock()
        let chaos = ChaosInterceptor(config: ChaosConfig(seed: 5, latency: latency), clock: clock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...count {
                group.addTask {
                    let call = NodeCall(instanceID: InstanceID(rawValue: UInt64(index)), workflowID: "w", nodeID: "n", kind: "k")
                    _ = try await chaos.intercept(call, context: RecordingNodeContext(), next: Passing())
                }
            }
            await clock.waitForSleeps(count: count)
            clock.advance(by: .seconds(1_000_000))
            try await group.waitForAll()
        }
        return clock.sleeps.map(\.seconds)
    }

    @Test("latency distributions stay within their bounds over many samples")
    func latency() async throws {
        let fixed = try await Self.delays(.fixed(.milliseconds(20)), count: 50)
        #expect(fixed.count == 50 && fixed.allSatisfy { abs($0 - 0.02) < 1e-9 })

        let uniform = try await Self.delays(.uniform(.milliseconds(10)...(.milliseconds(30))))
        #expect(uniform.count == 1000)
        #expect(uniform.allSatisfy { (0.01...0.03).contains($0) })
        let uniformMean = uniform.reduce(0, +) / Double(uniform.count)
        // Mean 0.02, standard error 0.00018: the bounds are 10 standard errors away.
        #expect(abs(uniformMean - 0.02) < 0.002)
        #expect(uniform.min()! < 0.012 && uniform.max()! > 0.028)

        let exponential = try await Self.delays(.exponential(mean: .milliseconds(50)))
        // Zero delays are not slept, so a few draws may be missing; none at 1000 samples of mean 50 ms.
        #expect(exponential.count == 1000)
        let mean = exponential.reduce(0, +) / Double(exponential.count)
        // Standard error of the mean: 0.05 / √1000 ≈ 0.0016; the bounds are more than 6 of them away.
        #expect(abs(mean - 0.05) < 0.01)
        // The median of an exponential is mean × ln 2 ≈ 0.0347.
        let median = exponential.sorted()[500]
        #expect(abs(median - 0.0347) < 0.008)
    }

    /// The node's `timeout` field sits inside its named interceptors, so a timeout that is to end a
    /// chaos hang is named before it.
    @Test("a hang lasts until the node's timeout ends it, on the runtime's clock")
    func hangEndedByTimeout() async throws {
        let clock = VirtualClock()
        let runtime = Fixtures.runtime(clock: clock)
        let definition = try WorkflowDefinition(
            json: """
                {"id": "h", "version": "1.0.0", "nodes": [
                  {"id": "a", "kind": "echo", "interceptors": [
                    {"name": "timeout", "config": {"seconds": 5}}, {"name": "chaos", "config": {"hangRate": 1}}]}]}
                """)
        let handle = try await runtime.start(definition)
        // The hang and the timeout's timer.
        await clock.waitForSleepers(2)
        #expect(clock.sleeps.contains(Duration.maximumWorkflowDuration))
        clock.advance(by: .seconds(5))
        let result = try await handle.result
        #expect(result.nodes["a"]?.status == .timedOut)
        #expect(result.status == .failed || result.status == .timedOut)
    }

    @Test("a hang honours cancellation")
    func hangCancelled() async throws {
        let clock = VirtualClock()
        let runtime = Fixtures.runtime(clock: clock)
        var definition = Fixtures.chain(["a"])
        definition.nodes[0].interceptors = [InterceptorReference("chaos", config: ["hangRate": 1])]
        let handle = try await runtime.start(definition)
        await clock.waitForSleepers(1)
        handle.cancel()
        let result = try await handle.result
        #expect(result.status == .cancelled)
        #expect(result.nodes["a"]?.status == .cancelled)
    }

    /// A one-node workflow whose node has a `retry` (3 attempts, 1 s apart) around a `chaos` interceptor.
    static func retried(chaos: String, nonRetryable: String = "") throws -> WorkflowDefinition {
        try WorkflowDefinition(
            json: """
                {"id": "c", "version": "1.0.0", "nodes": [{"id": "a", "kind": "echo", "interceptors": [
                  {"name": "retry", "config": {"maximumAttempts": 3, "initialInterval": 1, "backoffCoefficient": 1, "nonRetryableErrorTypes": [\(nonRetryable)]}},
                  {"name": "chaos", "config": \(chaos)}]}]}
                """)
    }

    @Test("by name in a workflow: a ChaosFatal failure ends the node when the policy lists it; ChaosFailure is retried")
    func byName() async throws {
        let clock = VirtualClock()
        let runtime = Fixtures.runtime(clock: clock)
        let fatal = try await runtime.start(
            Self.retried(chaos: #"{"failureRate": 1, "retryable": false}"#, nonRetryable: #""ChaosFatal""#)
        ).result
        #expect(fatal.nodes["a"]?.errorType == "ChaosFatal")
        #expect(clock.sleeps.isEmpty)

        let flaky = try await runtime.start(Self.retried(chaos: #"{"failureRate": 1}"#))
        for _ in 0..<2 {
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(1))
        }
        let result = try await flaky.result
        #expect(result.nodes["a"]?.status == .failed)
        #expect(result.nodes["a"]?.errorType == "ChaosFailure")
        #expect(result.nodes["a"]?.attempts == 3)
        #expect(clock.sleeps == [.seconds(1), .seconds(1)])
    }

    @Test("only a failure-only chaos keeps a node inline")
    func neverSuspends() {
        #expect(ChaosInterceptor(config: ChaosConfig(failureRate: 0.5)).neverSuspends)
        #expect(!ChaosInterceptor(config: ChaosConfig(latency: .fixed(.zero))).neverSuspends)
        #expect(!ChaosInterceptor(config: ChaosConfig(hangRate: 0.1)).neverSuspends)
    }

    @Test("every config problem is a validation error with its place")
    func validation() throws {
        let runtime = Fixtures.runtime()
        let cases: [(JSONValue, [String])] = [
            ("fast", ["config: must be an object"]),
            (["failureRate": 1.5], ["config.failureRate: must be a number from 0 to 1"]),
            (["hangRate": -0.1, "retryable": "yes"], ["config.hangRate: must be", "config.retryable: must be true or false"]),
            (["seed": -1], ["config.seed: must be a non-negative integer"]),
            (["seed": 1.5], ["config.seed: must be a non-negative integer"]),
            (["rate": 1], ["config.rate: unknown field"]),
            (["latency": ["fixed": -1]], ["config.latency.fixed: must be a number of seconds, at least 0"]),
            (["latency": ["fixed": 1e10]], ["config.latency.fixed: must be at most 1000000000 seconds"]),
            (["latency": ["uniform": [2, 1]]], ["config.latency.uniform: low must not be above high"]),
            (["latency": ["uniform": [1]]], ["config.latency.uniform: must be [low, high]"]),
            (["latency": ["uniform": ["a", 1]]], ["config.latency.uniform[0]: must be a number of seconds"]),
            (["latency": ["exponential": 0]], ["config.latency.exponential: the mean must be above 0"]),
            (["latency": ["normal": 1]], ["config.latency.normal: unknown distribution"]),
            (["latency": ["fixed": 1, "exponential": 1]], ["config.latency: must be one of"]),
        ]
        for (config, expected) in cases {
            var definition = Fixtures.chain(["a", "b"])
            definition.nodes[1].interceptors = [InterceptorReference("chaos", config: config)]
            do {
                _ = try runtime.prepare(definition)
                Issue.record("\(config) was accepted")
            } catch {
                // Each problem at its own place under the interceptor's: `nodes[1].interceptors[0].config.…`.
                for fragment in expected {
                    let parts = fragment.split(separator: ": ", maxSplits: 1).map(String.init)
                    let found = error.issues.contains { $0.path == "nodes[1].interceptors[0].\(parts[0])" && $0.message.contains(parts[1]) }
                    #expect(found, "\(error) lacks \(fragment)")
                }
            }
        }
        var valid = Fixtures.chain(["a"])
        valid.nodes[0].interceptors = [
            InterceptorReference(
                "chaos", config: ["seed": 3, "failureRate": 0, "hangRate": 0, "retryable": false, "latency": ["uniform": [0, 0.5]]])
        ]
        _ = try runtime.prepare(valid)
    }
}
