import Troupe

/// A chain run by ``RecordingInstanceActor``: Troupe's design and records, written by hand, with
/// each node doing ``AddNode``'s work.
struct RecordingWorkload: MeasuredWorkload {
    /// The chain's shape.
    let shape: WorkflowShape
    private let nodeIDs: [String]
    private let templates: RecordingInstanceActor.Templates
    private let kind: String
    private let body: RecordingNodeActor.Body
    private let ids = InstanceCounter()

    /// A chain of `length` nodes, whose bodies are async closures when `asyncNodes`.
    init(length: Int, asyncNodes: Bool) {
        shape = .chain(length: length)
        nodeIDs = (1...length).map { "node\($0)" }
        templates = RecordingInstanceActor.Templates(chain: nodeIDs)
        kind = asyncNodes ? AddNode.asyncKind : AddNode.kind
        let add: @Sendable (NodeCall) -> JSONValue = { call in (try? AddNode.output(for: call)) ?? .null }
        body = asyncNodes ? .asynchronous { call in add(call) } : .synchronous(add)
    }

    func run(input: Int) async -> Int? {
        let instance = RecordingInstanceActor(id: ids.next(), workflowID: shape.name, nodeIDs: nodeIDs, templates: templates, kind: kind, body: body)
        return await instance.run(input: .integer(input)).nodes[shape.exitNodeID]?.output?.integerValue
    }
}
