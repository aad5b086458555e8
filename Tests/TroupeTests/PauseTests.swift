import Testing
import Troupe
import TroupeTesting

@Suite("Pause and resume at every moment", .timeLimit(.minutes(1)))
struct PauseTests {
    @Test("pausing while the last node runs: the instance completes when it ends")
    func pauseDuringLastNode() async throws {
        let runtime = Fixtures.runtime()
        let gate = Gate()
        let lastGate = Gate()
        try runtime.register(kind: "gated") { call in
            await (call.nodeID == "last" ? lastGate : gate).pass()
            return "done"
        }
        let handle = try await runtime.start(Fixtures.chain(["a", "last"], kind: "gated"))
        await gate.waitForArrivals(1)
        gate.openAll()
        // Held at its own gate, so that the pause surely comes while it runs.
        await lastGate.waitForArrivals(1)
        #expect(await handle.pause())
        lastGate.openAll()
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["last"]?.output == "done")
    }

    @Test("pausing a parent whose only node is a child workflow: it completes when the child does")
    func pauseParentOfChild() async throws {
        let runtime = Fixtures.runtime()
        let gate = Gate()
        try runtime.register(kind: "gated") { _ in
            await gate.pass()
            return "inner"
        }
        let child: JSONValue = ["id": "child", "version": "1.0.0", "nodes": [["id": "inner", "kind": "gated"]]]
        let handle = try await runtime.start(
            WorkflowDefinition(
                id: "parent",
                nodes: [
                    NodeDefinition("child", kind: "workflow", config: ["definition": child])
                ]))
        await gate.waitForArrivals(1)
        #expect(await handle.pause())
        gate.openAll()
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.error ?? "")")
        #expect(result.nodes["child"]?.output == ["inner": "inner"])
    }

    @Test("a pause asked for at any moment after start, even before the instance runs, is never dropped")
    func pauseBeforeStart() async throws {
        let runtime = Fixtures.runtime()
        let prepared = try runtime.prepare(Fixtures.chain(["a", "b"]))
        var tookEffect = 0
        for _ in 0..<100 {
            let handle = runtime.start(prepared)
            guard await handle.pause() else {
                // Not taken: only because the instance had already ended.
                #expect(await handle.status.isTerminal)
                continue
            }
            tookEffect += 1
            #expect(await !handle.pause(), "a second pause changes nothing")
            for await event in handle.events where event.kind == .paused { break }
            if await handle.resume() {
                #expect(try await handle.result.status == .completed)
                let labels = await handle.eventKinds().map(\.label)
                #expect(labels.contains("resumed"), "\(labels)")
                #expect(labels.firstIndex(of: "paused") ?? 0 < labels.firstIndex(of: "resumed") ?? 0)
            } else {
                // The pause came while the last node ran: the instance completed when it ended.
                #expect(try await handle.result.status == .completed)
                let labels = await handle.eventKinds().map(\.label)
                #expect(!labels.contains("resumed"), "\(labels)")
                #expect(labels.firstIndex(of: "nodeStarted b 1") ?? .max < labels.firstIndex(of: "paused") ?? 0, "\(labels)")
            }
        }
        #expect(tookEffect > 0)
    }

    @Test("pause and resume report whether they took effect")
    func reports() async throws {
        let runtime = Fixtures.runtime()
        let handle = try await runtime.start(Fixtures.chain(["a"]))
        _ = try await handle.result
        #expect(await !handle.pause(), "an ended instance cannot pause")
        #expect(await !handle.resume(), "nor resume")
    }
}
