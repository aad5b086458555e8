import Foundation
import Testing
import Troupe

/// Many shell nodes at once: waiting on them costs a bounded number of threads.
@Suite("Shell nodes under load", .timeLimit(.minutes(2)))
struct ShellStressTests {
    static let nodes = 200
    /// Threads the process may gain while all the nodes run: the reactor's one, and room for what
    /// the test runner, the cooperative pool and the suites running beside this one start meanwhile
    /// (36 were seen under a loaded full run, 71 in one beside another session's CI run, and more than
    /// 100 twice in full parallel runs while the store and parking suites ran beside it). One thread
    /// per process would be 200 more.
    static let threadAllowance = 150

    @Test("200 shell nodes blocked at once cost a bounded number of threads, then all complete")
    func manyBlockedNodes() async throws {
        let started = try NamedPipe()
        let gate = try NamedPipe()
        let script = #"echo "$TROUPE_NODE_ID" > "$STARTED"; read line < "$GATE"; echo "done $TROUPE_NODE_ID""#
        let definition = WorkflowDefinition(id: "load") {
            for index in 0..<Self.nodes {
                NodeDefinition(
                    "n\(index)", kind: "shell",
                    config: ["script": .string(script), "environment": ["STARTED": .string(started.path), "GATE": .string(gate.path)]])
            }
        }
        let before = ProcessProbe.threadCount
        let handle = try await WorkflowRuntime().start(definition)
        let reported = await withTaskCancellationHandler {
            await started.receive(lines: Self.nodes)
        } onCancel: {
            gate.send(lines: Self.nodes)
        }
        // Every process now runs and waits at the gate, watched by the runtime.
        let during = ProcessProbe.threadCount
        gate.send(lines: Self.nodes)
        let result = try await handle.result

        #expect(Set(reported).count == Self.nodes)
        #expect(during - before <= Self.threadAllowance, "threads: \(before) before, \(during) with \(Self.nodes) shell nodes running")
        #expect(result.status == .completed, "\(result.nodes.values.compactMap(\.error).prefix(3))")
        for index in 0..<Self.nodes {
            #expect(result.nodes["n\(index)"]?.output == .string("done n\(index)"))
        }
    }
}
