import Testing
import Troupe
import TroupeTesting

/// Every order of retry, timeout and a fallback, named in the workflow or the node, against a
/// deadline and a cancel: whatever the composition, every instance ends in a terminal status.
@Suite("Every interceptor order ends every instance", .timeLimit(.minutes(2)))
struct InterceptorOrderTests {
    struct Fallback: NodeInterceptor {
        func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
            do { return try await next.handle(call, context: context) } catch is CancellationError { throw CancellationError() } catch { return "fallback" }
        }
    }

    static let pieces: [InterceptorReference] = [
        InterceptorReference("retry", config: ["maximumAttempts": 3, "initialInterval": 2]),
        InterceptorReference("timeout", config: ["seconds": 1]),
        InterceptorReference("fallback"),
    ]

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index -> [[T]] in
            var rest = items
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }

    @Test("orders × placement × node retry/timeout × deadline × cancel")
    func everyOrder() async throws {
        var checked = 0
        for order in Self.permutations(Self.pieces) {
            for inWorkflow in [true, false] {
                for nodeFields in [false, true] {
                    for ending in ["none", "deadline", "cancel"] {
                        let clock = VirtualClock()
                        let runtime = Fixtures.runtime(clock: clock)
                        try runtime.registry.register(interceptor: "fallback") { _ in Fallback() }
                        try runtime.register(kind: "stubborn") { (call: NodeCall) async throws -> JSONValue in
                            if call.config["hang"] == true { try await clock.sleep(for: .seconds(100)) }
                            throw ExecutionError(type: "Transient", message: "no")
                        }
                        var node = NodeDefinition("n", kind: "stubborn", config: ["hang": .bool(ending != "none")])
                        if nodeFields {
                            node.retry = RetryPolicy(maximumAttempts: 2, initialInterval: .seconds(1))
                            node.timeout = .seconds(3)
                        }
                        if !inWorkflow { node.interceptors = order }
                        var definition = WorkflowDefinition(
                            id: "orders", nodes: [node, NodeDefinition("after", kind: "echo")],
                            edges: [EdgeDefinition(from: "n", to: "after")])
                        if inWorkflow { definition.interceptors = order }
                        if ending == "deadline" { definition.deadline = .seconds(5) }
                        let handle = try await runtime.start(definition)
                        if ending == "cancel" {
                            await clock.waitForSleepers()
                            handle.cancel()
                        }
                        // Drive time until the instance ends: each step wakes whoever sleeps first.
                        let driver = Task {
                            while !Task.isCancelled {
                                await clock.waitForSleepers()
                                clock.advance(by: .seconds(1))
                                await Task.yield()
                            }
                        }
                        let result = try await handle.result
                        driver.cancel()
                        clock.advance(by: .seconds(1_000))
                        #expect(result.status.isTerminal, "\(order.map(\.name)) workflow=\(inWorkflow) fields=\(nodeFields) \(ending)")
                        #expect(result.nodes.values.allSatisfy { $0.status.isTerminal })
                        let kinds = await handle.eventKinds()
                        #expect(kinds.filter(\.isFinal).count == 1)
                        #expect(kinds.last?.isFinal == true)
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 6 * 2 * 2 * 3)
    }
}
