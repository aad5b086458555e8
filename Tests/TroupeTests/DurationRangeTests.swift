import Testing

@testable import Troupe

/// Durations from files and configs go through one range-checked conversion; back-off never overflows.
@Suite("Duration ranges", .timeLimit(.minutes(1)))
struct DurationRangeTests {
    private func decodingIssues(_ json: String) -> [String] {
        do {
            _ = try WorkflowDefinition(json: json)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    private static let limit = "must be at most 1000000000 seconds"

    @Test("seconds beyond the maximum are refused at their place, not trapped on", arguments: ["9.3e9", "1e10", "1e300", "9223372036.9"])
    func tooLarge(seconds: String) {
        let found = decodingIssues(
            """
            {"id": "w", "version": "1.0.0", "deadline": \(seconds),
             "nodes": [{"id": "a", "kind": "echo", "timeout": \(seconds),
                        "retry": {"initialInterval": \(seconds), "maximumInterval": \(seconds)}}]}
            """)
        for place in ["nodes[0].timeout", "nodes[0].retry.initialInterval", "nodes[0].retry.maximumInterval", "deadline"] {
            #expect(found.contains("\(place): \(Self.limit)"), "\(found)")
        }
        #expect(found.count == 4)
    }

    @Test("a large negative duration is refused too")
    func tooNegative() {
        #expect(
            decodingIssues(#"{"id": "w", "version": "1.0.0", "nodes": [{"id": "a", "kind": "echo", "timeout": -1e12}]}"#)
                == ["nodes[0].timeout: must be at least -1000000000 seconds"])
    }

    @Test("the maximum itself is accepted and round-trips")
    func atTheMaximum() throws {
        let definition = try WorkflowDefinition(
            json: #"{"id": "w", "version": "1.0.0", "deadline": 1000000000, "nodes": [{"id": "a", "kind": "echo", "timeout": 999999999.5}]}"#)
        #expect(definition.validationIssues(against: Fixtures.runtime().registry).isEmpty)
        #expect(try WorkflowDefinition(json: definition.jsonText()) == definition)
    }

    @Test("non-finite seconds in a decoded value are refused")
    func nonFinite() {
        let json: JSONValue = ["id": "w", "version": "1.0.0", "nodes": [["id": "a", "kind": "echo", "timeout": .double(.infinity)]]]
        #expect(throws: WorkflowValidationError(issues: [ValidationIssue(path: "nodes[0].timeout", message: "must be a finite number of seconds")])) {
            try WorkflowDefinition(jsonValue: json)
        }
    }

    @Test("durations built in Swift beyond the maximum fail validation, and export without trapping")
    func fromSwift() throws {
        var definition = Fixtures.chain(["a"])
        definition.deadline = .seconds(1e12)
        definition.nodes[0].timeout = .seconds(Int64.max)
        definition.nodes[0].retry = RetryPolicy(initialInterval: .seconds(1e11), maximumInterval: .seconds(1e11))
        let found = definition.validationIssues(against: Fixtures.runtime().registry).map(\.description)
        for place in ["deadline", "nodes[0].timeout", "nodes[0].retry.initialInterval", "nodes[0].retry.maximumInterval"] {
            #expect(found.contains("\(place): \(Self.limit)"), "\(found)")
        }
        #expect(definition.jsonText().contains("\"deadline\""))
    }

    @Test("the timeout interceptor's seconds go through the same check", arguments: [JSONValue.double(1e10), .double(.infinity), .integer(Int.max)])
    func timeoutInterceptorConfig(seconds: JSONValue) {
        var definition = Fixtures.chain(["a"])
        definition.interceptors = [InterceptorReference("timeout", config: ["seconds": seconds])]
        let error = #expect(throws: WorkflowValidationError.self) { try Fixtures.runtime().prepare(definition) }
        #expect(error?.issues.map(\.path) == ["interceptors[0]"])
        #expect(error?.issues.first?.message.contains("must be") == true, "\(String(describing: error))")
    }

    @Test("the retry interceptor's config goes through the same check")
    func retryInterceptorConfig() {
        #expect(throws: WorkflowValidationError(issues: [ValidationIssue(path: "config.initialInterval", message: Self.limit)])) {
            try RetryPolicy(interceptorConfig: ["initialInterval": 9.3e9])
        }
    }

    @Test("back-off with full jitter on a huge interval clamps instead of trapping")
    func jitteredBackoffClamps() {
        // 9e9 s validated before the maximum existed; jitter up to ×2 overflowed Int64 nanoseconds.
        let retry = RetryInterceptor(policy: RetryPolicy(maximumAttempts: 0, initialInterval: .seconds(9e9), jitter: 1))
        for attempt in [1, 2, 50, Int.max] {
            for _ in 0..<64 {
                let delay = retry.delay(afterAttempt: attempt)
                #expect(delay >= .zero && delay <= .seconds(1_000_000_000))
            }
        }
    }

    @Test("an unlimited retry of a zero interval stays zero however many attempts")
    func zeroIntervalNeverBecomesNaN() {
        let policy = RetryPolicy(maximumAttempts: 0, initialInterval: .zero)
        #expect(policy.interval(afterAttempt: 5_000) == .zero)
        #expect(RetryInterceptor(policy: RetryPolicy(maximumAttempts: 0, initialInterval: .zero, jitter: 0.5)).delay(afterAttempt: 5_000) == .zero)
    }

    @Test("growth past every limit gives the maximum interval")
    func growthIsCapped() {
        let policy = RetryPolicy(maximumAttempts: 0, initialInterval: .seconds(1), backoffCoefficient: 10)
        #expect(policy.interval(afterAttempt: 10_000) == .seconds(100))
        #expect(RetryPolicy(initialInterval: .seconds(Int64.max), backoffCoefficient: 2).interval(afterAttempt: 3) == .seconds(1_000_000_000))
    }

    @Test("a sleep node's seconds are checked at validation, before the executor converts them")
    func sleepSeconds() {
        let definition = WorkflowDefinition(id: "w", nodes: [NodeDefinition("a", kind: "sleep", config: ["seconds": 1e10])])
        #expect(definition.validationIssues(against: Fixtures.runtime().registry).map(\.description) == ["nodes[0].config.seconds: \(Self.limit)"])
    }

    @Test(
        "durations with nanosecond fractions read back exactly",
        arguments: ["4461764.0289051905", "4412685.229097324", "0.000000001", "999999999.999999999", "-4424202.135563715"])
    func exactRoundTrip(seconds: String) throws {
        let definition = try WorkflowDefinition(json: #"{"id": "w", "version": "1.0.0", "nodes": [{"id": "a", "kind": "echo", "timeout": \#(seconds)}]}"#)
        #expect(try WorkflowDefinition(json: definition.jsonText()) == definition)
    }
}
