import Testing

@_spi(Development) @testable import Troupe

@Suite("Execution strategies", .timeLimit(.minutes(2)))
struct StrategyTests {
    /// A gate that never holds a call, counting arrivals: a node waits for the others with `waitForArrivals`.
    static func arrivals() -> Gate {
        let gate = Gate()
        gate.openAll()
        return gate
    }

    @Test("nodes receive the workflow input and their predecessors' outputs")
    func dataFlow() async throws {
        let runtime = Fixtures.runtime()
        try runtime.register(kind: "add") { call in
            let base = call.input["base"]?.integerValue ?? 0
            let upstream = call.upstream.values.compactMap(\.integerValue).reduce(0, +)
            return .integer(base + upstream + 1)
        }
        let definition = Fixtures.diamond(branches: 3, kind: "add")
        var adding = definition
        adding.nodes = adding.nodes.map { NodeDefinition($0.id, kind: "add") }
        let result = try await runtime.start(adding, input: ["base": 10]).result
        #expect(result.status == .completed)
        #expect(result.nodes["start"]?.output == 11)
        #expect(result.nodes["b0"]?.output == 22)
        #expect(result.nodes["join"]?.output == 77)
        #expect(result.nodes.values.allSatisfy { $0.attempts == 1 && $0.status == .completed })
    }

    @Test("sequential runs one node at a time in topological order")
    func sequential() async throws {
        let runtime = Fixtures.runtime()
        let journal = Journal()
        let gauge = ConcurrencyGauge()
        try runtime.register(kind: "work") { call in
            gauge.enter()
            defer { gauge.leave() }
            journal.record(call.nodeID)
            try await Task.sleep(for: .milliseconds(2))
            return nil
        }
        let definition = Fixtures.diamond(branches: 4, kind: "work", strategy: .sequential)
        let result = try await runtime.start(definition).result
        #expect(result.status == .completed)
        #expect(journal.recorded == ["b0", "b1", "b2", "b3"])
        #expect(gauge.maximum == 1)
    }

    @Test("parallel never exceeds its bound and runs level by level", arguments: [1, 3])
    func parallelBound(bound: Int) async throws {
        let runtime = Fixtures.runtime()
        let gauge = ConcurrencyGauge()
        let journal = Journal()
        let arrivals = Self.arrivals()
        try runtime.register(kind: "work") { call in
            gauge.enter()
            defer { gauge.leave() }
            // The first `bound` nodes wait for one another, so the bound is reached however slowly tasks start.
            await arrivals.pass()
            await arrivals.waitForArrivals(bound)
            journal.record(call.nodeID)
            return nil
        }
        // Two levels: l0..l5 feed m0..m5 one to one; the fast path l0 → m0 must wait for the whole first level.
        let nodes = (0..<6).flatMap { [NodeDefinition("l\($0)", kind: "work"), NodeDefinition("m\($0)", kind: "work")] }
        let edges = (0..<6).map { EdgeDefinition(from: "l\($0)", to: "m\($0)") }
        let definition = WorkflowDefinition(id: "p", nodes: nodes, edges: edges, strategy: .parallel(maxConcurrency: bound))
        let result = try await runtime.start(definition).result
        #expect(result.status == .completed)
        #expect(gauge.maximum <= bound)
        #expect(gauge.maximum == bound)
        let order = journal.recorded
        let lastFirstLevel = order.lastIndex { $0.hasPrefix("l") }!
        let firstSecondLevel = order.firstIndex { $0.hasPrefix("m") }!
        #expect(lastFirstLevel < firstSecondLevel)
    }

    @Test("dag with a bound never exceeds it")
    func dagBound() async throws {
        let runtime = Fixtures.runtime()
        let gauge = ConcurrencyGauge()
        let arrivals = Self.arrivals()
        try runtime.register(kind: "work") { _ in
            gauge.enter()
            defer { gauge.leave() }
            await arrivals.pass()
            await arrivals.waitForArrivals(4)
            return nil
        }
        let result = try await runtime.start(Fixtures.diamond(branches: 12, kind: "work", strategy: .dag(maxConcurrency: 4))).result
        #expect(result.status == .completed)
        #expect(gauge.maximum == 4)
    }

    @Test("a dag node never starts before all its predecessors have ended")
    func dagOrdering() async throws {
        let runtime = Fixtures.runtime()
        let ended = LockedValue<Set<String>>([])
        let violations = LockedValue<[String]>([])
        let definition = WorkflowDefinition(
            id: "g",
            nodes: ["a", "b", "c", "d", "e", "f"].map { NodeDefinition($0, kind: "work") },
            edges: [
                EdgeDefinition(from: "a", to: "c"), EdgeDefinition(from: "b", to: "c"), EdgeDefinition(from: "a", to: "d"),
                EdgeDefinition(from: "c", to: "e"), EdgeDefinition(from: "d", to: "e"), EdgeDefinition(from: "e", to: "f"),
                EdgeDefinition(from: "b", to: "f"),
            ])
        let predecessors = Dictionary(grouping: definition.edges, by: \.to).mapValues { Set($0.map(\.from)) }
        try runtime.register(kind: "work") { call in
            let required = predecessors[call.nodeID] ?? []
            if !ended.withLock({ required.isSubset(of: $0) }) { violations.withLock { $0.append(call.nodeID) } }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...3)))
            ended.withLock { _ = $0.insert(call.nodeID) }
            return nil
        }
        for _ in 0..<20 {
            ended.withLock { $0 = [] }
            let result = try await runtime.start(definition).result
            #expect(result.status == .completed)
        }
        #expect(violations.withLock { $0 } == [])
    }

    @Test("fan-out of suspending nodes runs in parallel: all 8 branches are inside their executor at once")
    func fanOutIsParallel() async throws {
        let runtime = Fixtures.runtime()
        let gate = Gate()
        try runtime.register(kind: "nap") { (_: NodeCall) async throws -> JSONValue in
            await gate.pass()
            return nil
        }
        let handle = try await runtime.start(Fixtures.diamond(branches: 8, kind: "nap"))
        // Run one after another, the second branch could never arrive while the first waits here.
        await gate.waitForArrivals(8)
        gate.openAll()
        #expect(try await handle.result.status == .completed)
    }

    @Test("many instances run concurrently and all complete")
    func manyInstances() async throws {
        let runtime = Fixtures.runtime()
        try runtime.register(kind: "add") { call in .integer(call.upstream.values.compactMap(\.integerValue).reduce(0, +) + 1) }
        var definition = Fixtures.diamond(branches: 8, kind: "add")
        definition.nodes = definition.nodes.map { NodeDefinition($0.id, kind: "add") }
        let prepared = try runtime.prepare(definition)
        let handles = (0..<2_000).map { _ in runtime.start(prepared) }
        var outputs: [JSONValue?] = []
        for handle in handles { outputs.append(try await handle.result.nodes["join"]?.output) }
        #expect(outputs.allSatisfy { $0 == 17 })
        #expect(Set(handles.map(\.id)).count == 2_000)
    }
}
