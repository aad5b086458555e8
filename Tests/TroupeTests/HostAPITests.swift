import Testing
import Troupe
import TroupeTesting

@Suite("What a host needs: finding, listing, shutting down, waiting", .timeLimit(.minutes(1)))
struct HostAPITests {
    @Test("instance(id) finds a running instance and running lists it, until it ends")
    func findAndList() async throws {
        let runtime = Fixtures.runtime()
        let handle = try await runtime.start(WorkflowDefinition(id: "l") { NodeDefinition("a", kind: "sleep", config: ["seconds": 3600]) })
        #expect(runtime.instance(handle.id)?.id == handle.id)
        #expect(runtime.running.map(\.id) == [handle.id])
        runtime.instance(handle.id)?.cancel()
        let result = try await handle.result
        #expect(result.status == .cancelled)
        for await _ in handle.events {}
        // The listing is updated just after the result is published.
        while runtime.instance(handle.id) != nil { await Task.yield() }
        #expect(runtime.running.isEmpty)
    }

    @Test("shutdown(gracefully: true) lets running instances finish; false cancels them; both finish every event stream")
    func shutdown() async throws {
        for graceful in [true, false] {
            let runtime = Fixtures.runtime()
            let gate = Gate()
            try runtime.register(kind: "gated") { _ in
                await gate.pass()
                return "ran"
            }
            let all = runtime.events()
            // Graceful: a node that waits for the gate; otherwise one that waits until it is cancelled.
            let node = graceful ? NodeDefinition("a", kind: "gated") : NodeDefinition("a", kind: "sleep", config: ["seconds": 3600])
            let handle = try await runtime.start(
                WorkflowDefinition(
                    id: "s", nodes: [node, NodeDefinition("b", kind: "echo")],
                    edges: [EdgeDefinition(from: "a", to: "b")]))
            for await event in handle.events where event.kind.label == "nodeStarted a 1" { break }
            let stopping = Task { await runtime.shutdown(gracefully: graceful) }
            if graceful { gate.openAll() }
            await stopping.value
            #expect(await handle.status.isTerminal, "shutdown returned only after the instance ended")
            let result = try await handle.result
            #expect(result.status == (graceful ? .completed : .cancelled))
            var seen = 0
            for await _ in all { seen += 1 }
            #expect(seen > 0, "the stream finished after delivering what it had")
            let late = runtime.start(try runtime.prepare(Fixtures.chain(["x"])))
            let lateResult = try await late.result
            #expect(lateResult.status == .cancelled)
            #expect(lateResult.nodes["x"]?.status == .cancelled)
            var afterwards = 0
            for await _ in runtime.events() { afterwards += 1 }
            #expect(afterwards == 0)
        }
    }

    @Test("awaiting the result can be cancelled by the waiting task; the instance goes on")
    func cancellableWait() async throws {
        let runtime = Fixtures.runtime()
        let gate = Gate()
        try runtime.register(kind: "gated") { _ in
            await gate.pass()
            return "ran"
        }
        let handle = try await runtime.start(Fixtures.chain(["a"], kind: "gated"))
        await gate.waitForArrivals(1)
        let waiter = Task { try await handle.result }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(await handle.status == .running)
        gate.openAll()
        #expect(try await handle.result.status == .completed)
    }
}
