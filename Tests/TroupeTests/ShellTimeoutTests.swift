import Foundation
import Testing
import Troupe
import TroupeTesting

/// A `shell` node's timeout kills its process group when the timeout fires, on the runtime's clock.
@Suite("Shell nodes' timeouts", .timeLimit(.minutes(1)))
struct ShellTimeoutTests {
    @Test("the process group is killed at the timeout, not when the process exits")
    func killedAtTheTimeout() async throws {
        let report = try NamedPipe()
        let clock = VirtualClock()
        let definition = WorkflowDefinition(id: "timed") {
            NodeDefinition(
                "timed", kind: "shell",
                config: ["script": #"sleep 600 & echo "$$ $!" > "$REPORT"; wait"#, "environment": ["REPORT": .string(report.path)]],
                timeout: .seconds(30))
        }
        let handle = try await WorkflowRuntime(clock: clock).start(definition)
        let pids = (await report.receive(lines: 1)).first?.split(separator: " ").compactMap { pid_t(String($0)) } ?? []
        try #require(pids.count == 2, "the script reported no pids")
        // The timeout's wait has begun: only now can advancing the clock fire it.
        await clock.waitForSleeps(count: 1)
        clock.advance(by: .seconds(30))
        let result = try await handle.result

        #expect(result.nodes["timed"]?.status == .timedOut)
        // The group is killed as the timeout cancels the node's work, which it no longer awaits, so the
        // exits follow the result at once: had the kill missed them, the shell would wait 600 s for
        // its background sleep and these waits would run into the suite's time limit.
        await ProcessProbe.exit(of: pids[0])
        await ProcessProbe.exit(of: pids[1])
    }

    @Test("timed-out nodes end at their timeout while the nodes beside them are still blocked")
    func timeoutBesideBlocked() async throws {
        let report = try NamedPipe()
        let gate = try NamedPipe()
        let clock = VirtualClock()
        // Eight of each, as in ShellDescriptorTests: an inherited pipe needs spawns in the same instant.
        let pairs = 8
        let environment: JSONValue = ["REPORT": .string(report.path), "GATE": .string(gate.path)]
        let definition = WorkflowDefinition(id: "timed-beside") {
            for index in 0..<pairs {
                NodeDefinition(
                    "timed\(index)", kind: "shell", config: ["script": #"echo up > "$REPORT"; exec sleep 600"#, "environment": environment],
                    timeout: .seconds(30))
                // A timeout too, far off, so that both kinds are spawned along the same path, in the same instants.
                NodeDefinition(
                    "blocked\(index)", kind: "shell", config: ["script": #"echo up > "$REPORT"; read line < "$GATE""#, "environment": environment],
                    timeout: .seconds(3_600))
            }
        }
        let handle = try await WorkflowRuntime(clock: clock).start(definition)
        _ = await report.receive(lines: 2 * pairs)
        await clock.waitForSleeps(count: 2 * pairs)
        clock.advance(by: .seconds(30))
        var timedOut: Set<String> = []
        // Had a blocked process inherited a timed node's pipe, that node's end would wait for the
        // gate, and the gate for it: past the time limit, the gate opens so the test can fail.
        await withTaskCancellationHandler {
            for await event in handle.events {
                switch event.kind {
                case .nodeTimedOut(let node, _):
                    timedOut.insert(node)
                    if timedOut.count == pairs { gate.send(lines: pairs) }
                case .nodeCompleted(let node, _):
                    #expect(timedOut.count == pairs, "\(node) completed before every timed node ended")
                default:
                    break
                }
            }
        } onCancel: {
            gate.send(lines: pairs)
        }
        let result = try await handle.result
        #expect(timedOut.count == pairs)
        #expect(result.nodes.values.filter { $0.status == .timedOut }.count == pairs)
        #expect(result.nodes.values.filter { $0.status == .completed }.count == pairs)
    }
}
