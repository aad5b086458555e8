import Foundation
import Testing
import Troupe
import TroupeTesting

@Suite("The runtime-wide event stream keeps each instance's order", .timeLimit(.minutes(2)))
struct EventOrderTests {
    @Test("3,000 instances of a fan-out: per instance, sequence numbers arrive in order and timestamps never go back")
    func globalOrder() async throws {
        let runtime = Fixtures.runtime()
        try runtime.register(kind: "hop") { (call: NodeCall) async throws -> JSONValue in
            await Task.yield()
            return .string(call.nodeID)
        }
        let prepared = try runtime.prepare(Fixtures.diamond(branches: 6, kind: "hop"))
        let all = runtime.events()
        let instances = 3_000
        let collector = Task {
            var last: [InstanceID: (sequence: Int, timestamp: Date)] = [:]
            var disorder = 0
            var backwards = 0
            var finals = 0
            for await event in all {
                if let previous = last[event.instanceID] {
                    if event.sequence != previous.sequence + 1 { disorder += 1 }
                    if event.timestamp < previous.timestamp { backwards += 1 }
                } else if event.sequence != 0 {
                    disorder += 1
                }
                last[event.instanceID] = (event.sequence, event.timestamp)
                if event.kind.isFinal {
                    finals += 1
                    if finals == instances { break }
                }
            }
            return (disorder, backwards)
        }
        let handles = (0..<instances).map { _ in runtime.start(prepared) }
        for handle in handles { _ = try await handle.result }
        let (disorder, backwards) = await collector.value
        #expect(disorder == 0)
        #expect(backwards == 0)
    }
}
