import Foundation
import Troupe

/// The time of one call through each built-in interceptor's fast path, called directly (no
/// runtime around it) with a node that returns at once, against a no-op interceptor called the same way.
struct ResilienceBenchmark: Sendable {
    /// A node context that ignores every report; the fast paths make none.
    private final class SilentContext: NodeContext {
        func retrying(afterAttempt attempt: Int, delay: Duration, error: any Error) async {}
        func attemptStarting(_ call: NodeCall) async {}
        func attemptFailed(_ call: NodeCall, error: any Error) async {}
    }

    /// The end of the chain: returns the call's input.
    private struct EchoHandler: NodeHandler {
        func handle(_ call: NodeCall, context: any NodeContext) async throws -> JSONValue { call.input }
    }

    /// Calls per round and rounds.
    let callsPerRound: Int
    let rounds: Int

    /// Runs a warm-up round of each variant, then every variant once per round in turn, and
    /// returns each one's fastest round in nanoseconds per call.
    func run() async throws -> [ResilienceVariant: Double] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-bench-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteRunStore(path: "\(directory)/cache.db")
        let interceptors = ResilienceVariant.allCases.map { ($0, $0.makeInterceptor(store: store)) }
        let call = NodeCall(
            instanceID: InstanceID(rawValue: 1), workflowID: "bench", nodeID: "node", kind: "echo", config: ["url": "http://localhost/"],
            input: ["customer": "c-1", "items": [1, 2, 3]], upstream: ["start": "ok"])
        var fastest: [ResilienceVariant: Double] = [:]
        for (_, interceptor) in interceptors { _ = try await nanosecondsPerCall(interceptor, call) }
        for _ in 0..<rounds {
            for (variant, interceptor) in interceptors {
                fastest[variant] = min(fastest[variant, default: .infinity], try await nanosecondsPerCall(interceptor, call))
            }
        }
        await store.close()
        return fastest
    }

    private func nanosecondsPerCall(_ interceptor: any NodeInterceptor, _ call: NodeCall) async throws -> Double {
        let context = SilentContext()
        let next = EchoHandler()
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<callsPerRound {
            guard try await interceptor.intercept(call, context: context, next: next) == call.input else {
                throw BenchmarkFailure(description: "resilience benchmark: an interceptor returned a wrong result")
            }
        }
        return (clock.now - start).seconds * 1e9 / Double(callsPerRound)
    }
}
