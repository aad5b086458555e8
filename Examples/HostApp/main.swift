// A host program embedding Troupe: it registers its own node kinds, builds a workflow in Swift,
// runs 10,000 instances of it at once, cancels a few, counts every event through the runtime-wide
// subscription, and prints how the instances ended.
//
//     swift run troupe-host-app
//
// Top-level code runs on the main actor; the runtime must not, so everything happens in
// `runHost()`, which is `@concurrent` and therefore runs on the global concurrent executor.

import Troupe

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A diamond: `order` feeds a slow lookup, a slower lookup and a quick computation, which `total` joins.
func makeDefinition() -> WorkflowDefinition {
    WorkflowDefinition(id: "order-total", description: "prices an order from two lookups and a computation") {
        NodeDefinition("order", kind: "add", config: ["amount": 1])
        NodeDefinition("price", kind: "lookup", config: ["milliseconds": 2, "amount": 10])
        NodeDefinition("tax", kind: "lookup", config: ["milliseconds": 4, "amount": 100])
        NodeDefinition("discount", kind: "add", config: ["amount": 1_000])
        NodeDefinition("total", kind: "add", config: ["amount": 0])
        EdgeDefinition(from: "order", to: "price")
        EdgeDefinition(from: "order", to: "tax")
        EdgeDefinition(from: "order", to: "discount")
        EdgeDefinition(from: "price", to: "total")
        EdgeDefinition(from: "tax", to: "total")
        EdgeDefinition(from: "discount", to: "total")
    }
}

/// The sum of a node's upstream integers (or its input at an entry node) plus its config's `amount`.
func addAmount(_ call: NodeCall) -> JSONValue {
    let base =
        call.upstream.isEmpty
        ? call.input.integerValue ?? 0
        : call.upstream.values.reduce(0) { $0 + ($1.integerValue ?? 0) }
    return .integer(base + (call.config["amount"]?.integerValue ?? 0))
}

/// Counts the runtime's events until every instance has sent its final one.
func countEvents(_ events: AsyncStream<WorkflowEvent>, instances: Int) async -> (all: Int, nodeCompleted: Int) {
    var all = 0
    var nodeCompleted = 0
    var finished = 0
    for await event in events {
        all += 1
        if case .nodeCompleted = event.kind { nodeCompleted += 1 }
        if event.kind.isFinal {
            finished += 1
            if finished == instances { break }
        }
    }
    return (all, nodeCompleted)
}

/// Runs the whole example off the main actor: starts `instanceCount` instances at once and cancels
/// every one whose index is a multiple of `cancelEvery` right after starting it.
@concurrent
func runHost(instanceCount: Int, cancelEvery: Int) async throws {
    let runtime = WorkflowRuntime()
    try runtime.register(kind: "add") { call in addAmount(call) }
    try runtime.register(kind: "lookup") { call in
        try await Task.sleep(for: .milliseconds(call.config["milliseconds"]?.integerValue ?? 1))
        return addAmount(call)
    }
    let workflow = try runtime.prepare(makeDefinition())

    let counter = Task { await countEvents(runtime.events(), instances: instanceCount) }
    let clock = ContinuousClock()
    let started = clock.now
    var handles: [WorkflowHandle] = []
    handles.reserveCapacity(instanceCount)
    for index in 0..<instanceCount {
        let handle = runtime.start(workflow, input: .integer(index), metadata: ["tenant": "t\(index % 10)"])
        if index % cancelEvery == 0 { handle.cancel() }
        handles.append(handle)
    }
    var statuses: [InstanceStatus: Int] = [:]
    var wrongTotals = 0
    for (index, handle) in handles.enumerated() {
        let result = try await handle.result
        statuses[result.status, default: 0] += 1
        if result.status == .completed, result.nodes["total"]?.output?.integerValue != 3 * (index + 1) + 1_110 {
            wrongTotals += 1
        }
    }
    let elapsed = clock.now - started
    let events = await counter.value

    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("\(instanceCount) instances of \"\(workflow.definition.id)\" in \(Int(seconds * 1_000)) ms: \(Int(Double(instanceCount) / seconds)) instances/s")
    for status in InstanceStatus.allCases where statuses[status] != nil {
        print("  \(status.rawValue): \(statuses[status]!)")
    }
    print("events: \(events.all) in all, \(events.nodeCompleted) node completions")
    if wrongTotals > 0 {
        print("wrong totals: \(wrongTotals)")
        exit(1)
    }
}

try await runHost(instanceCount: 10_000, cancelEvery: 1_000)
