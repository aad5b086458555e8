import Troupe

/// A workflow shape run by ``RecordingInstanceActor``: Troupe's design and records, written by
/// hand, with each node doing ``AddNode``'s work.
struct RecordingWorkload: MeasuredWorkload {
    /// The workflow's shape.
    let shape: WorkflowShape
    private let plan: RecordingPlan
    private let ids = InstanceCounter()

    /// `shape` with async node bodies when `asyncNodes`, else synchronous ones; a diamond's branches
    /// wait at `gate` first when one is given.
    init(shape: WorkflowShape, asyncNodes: Bool, gate: Gate? = nil) {
        self.shape = shape
        let add: @Sendable (NodeCall) -> JSONValue = { call in (try? AddNode.output(for: call)) ?? .null }
        let body: RecordingNodeActor.Body = asyncNodes ? .asynchronous { call in add(call) } : .synchronous(add)
        let gated = gate.map { gate in
            RecordingNodeActor.Body.asynchronous { call in
                await gate.wait()
                return add(call)
            }
        }
        plan = RecordingPlan(shape, kind: asyncNodes ? AddNode.asyncKind : AddNode.kind, body: body, branchBody: gated)
    }

    /// A new instance, not yet running.
    func instance() -> RecordingInstanceActor { RecordingInstanceActor(id: ids.next(), plan: plan) }

    func run(input: Int) async -> Int? {
        await instance().run(input: .integer(input)).nodes[shape.exitNodeID]?.output?.integerValue
    }
}
