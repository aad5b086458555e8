import Testing
import TroupeTesting

@_spi(Development) @testable import Troupe

@Suite("Interceptor notes: what the built-in interceptors noticed shows in the instance's events", .timeLimit(.minutes(2)))
struct InterceptorNoteTests {
    /// The notes among a finished instance's events, as `interceptor event` labels in order.
    private func notes(of handle: WorkflowHandle) async -> [String] {
        var labels: [String] = []
        for await event in handle.events {
            if case .interceptorNote(_, let note) = event.kind { labels.append("\(note.interceptor) \(note.event)") }
        }
        return labels
    }

    @Test("cache: a miss, then a hit for the identical call, as events of each instance")
    func cacheHitAndMiss() async throws {
        let runtime = Fixtures.runtime()
        let prepared = try runtime.prepare(
            try WorkflowDefinition(
                json: """
                    {"id": "cached", "version": "1.0.0", "nodes": [{"id": "a", "kind": "echo",
                      "interceptors": [{"name": "cache", "config": {"ttl": 60}}]}]}
                    """))
        let first = runtime.start(prepared, input: ["id": 7])
        #expect(await notes(of: first) == ["cache miss"])
        let second = runtime.start(prepared, input: ["id": 7])
        #expect(await notes(of: second) == ["cache hit"])
        let third = runtime.start(prepared, input: ["id": 8])
        #expect(await notes(of: third) == ["cache miss"])
    }

    @Test("validate with strict off: a warning event naming the phase and the failing pointer; strict on: none")
    func validationWarning() async throws {
        let runtime = Fixtures.runtime()
        let handle = try await runtime.start(
            try WorkflowDefinition(
                json: """
                    {"id": "checked", "version": "1.0.0", "nodes": [{"id": "a", "kind": "echo",
                      "interceptors": [{"name": "validate", "config": {"output": {"type": "integer"}, "strict": false}}]}]}
                    """))
        var found: [InterceptorNote] = []
        for await event in handle.events {
            if case .interceptorNote(let node, let note) = event.kind, node == "a" { found.append(note) }
        }
        #expect(found.map(\.event) == ["warning"])
        #expect(found.first?.details["phase"] == "output")
        #expect(found.first?.message.contains("type") == true)
        #expect(try await handle.result.status == .completed)
    }

    @Test("rate-limit: a rejected call is noted with its retry time; a call that waited is noted once admitted")
    func limiterNotes() async throws {
        let clock = VirtualClock()
        let next = ClosureHandler { _ in "ok" }
        let rejecting = RateLimitInterceptor(limit: 1, window: .seconds(10), mode: .reject, clock: clock)
        let context = RecordingNodeContext()
        _ = try await rejecting.intercept(.test(), context: context, next: next)
        await #expect(throws: ExecutionError.self) { try await rejecting.intercept(.test(), context: context, next: next) }
        #expect(context.notes.map(\.event) == ["rejected"])
        #expect(context.notes.first?.details["retryAfter"] == 10.0)

        let waiting = RateLimitInterceptor(limit: 1, window: .seconds(10), mode: .wait, clock: clock)
        let waitContext = RecordingNodeContext()
        _ = try await waiting.intercept(.test(), context: waitContext, next: next)
        #expect(waitContext.notes.isEmpty)
        let second = Task { try await waiting.intercept(.test(), context: waitContext, next: next) }
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(10))
        _ = try await second.value
        #expect(waitContext.notes.map(\.event) == ["waited"])
        #expect(waitContext.notes.first?.details["waited"] == 10.0)
    }

    @Test("concurrency-limit: a rejection is noted")
    func bulkheadRejection() async throws {
        let bulkhead = ConcurrencyLimitInterceptor(limit: 1, mode: .reject)
        let context = RecordingNodeContext()
        let (entered, enteredGate) = AsyncStream<Void>.makeStream()
        let (release, releaseGate) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await bulkhead.intercept(
                .test(), context: RecordingNodeContext(),
                next: ClosureHandler { _ in
                    enteredGate.yield()
                    for await _ in release { break }
                    return "held"
                })
        }
        for await _ in entered { break }
        await #expect(throws: ExecutionError.self) { try await bulkhead.intercept(.test(), context: context, next: ClosureHandler { _ in "ok" }) }
        releaseGate.finish()
        _ = try await holder.value
        #expect(context.notes.map(\.event) == ["rejected"])
        #expect(context.notes.first?.interceptor == "concurrency-limit")
    }

    @Test("circuit-breaker: closed → open, open → half-open, half-open → closed are each noted once, and a refusal too")
    func breakerTransitions() async throws {
        let clock = VirtualClock()
        let breaker = CircuitBreakerInterceptor(
            settings: CircuitBreakerSettings(failureRate: 50, window: 2, minimumCalls: 2, openFor: .seconds(5), halfOpenCalls: 1), clock: clock)
        let context = RecordingNodeContext()
        let failing = ClosureHandler { _ in throw ExecutionError(type: "Boom", message: "down") }
        for _ in 0..<2 { _ = try? await breaker.intercept(.test(), context: context, next: failing) }
        _ = try? await breaker.intercept(.test(), context: context, next: failing)
        clock.advance(by: .seconds(5))
        _ = try await breaker.intercept(.test(), context: context, next: ClosureHandler { _ in "ok" })
        let transitions = context.notes.filter { $0.event == "transition" }.map {
            "\($0.details["from"]?.stringValue ?? "?")→\($0.details["to"]?.stringValue ?? "?")"
        }
        #expect(transitions == ["closed→open", "open→half-open", "half-open→closed"])
        #expect(context.notes.map(\.event) == ["transition", "refused", "transition", "transition"])
    }
}
