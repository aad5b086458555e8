/// One row of the throughput benchmark: a workflow shape run by Troupe with synchronous or async
/// nodes, against the hand-written design it must keep up with, and the ratio it must reach.
struct ThroughputCase: Sendable {
    /// The hand-written program Troupe is compared with.
    enum Baseline: Sendable {
        /// An actor per instance calling an actor per node, all created per instance (chains only).
        case actors
        /// A task group with one child task per branch (diamonds only).
        case taskGroup
    }

    /// The workflow measured.
    let shape: WorkflowShape
    /// Whether the nodes (and the baseline's node bodies) are async closures; else synchronous ones.
    let asyncNodes: Bool
    /// The hand-written design compared with.
    let baseline: Baseline
    /// The ratio troupe/baseline the target asks for.
    let minimumRatio: Double

    /// Every case, in the order they run.
    static let all = [
        ThroughputCase(shape: .chain(length: 10), asyncNodes: false, baseline: .actors, minimumRatio: 0.5),
        ThroughputCase(shape: .chain(length: 10), asyncNodes: true, baseline: .actors, minimumRatio: 0.5),
        ThroughputCase(shape: .diamond(branches: 8), asyncNodes: false, baseline: .taskGroup, minimumRatio: 1.0),
        ThroughputCase(shape: .diamond(branches: 8), asyncNodes: true, baseline: .taskGroup, minimumRatio: 1.0),
    ]

    /// The row's name, such as `chain10, async nodes`.
    var label: String { "\(shape.name), \(asyncNodes ? "async" : "sync") nodes" }

    /// The baseline's name in the report.
    var baselineLabel: String {
        switch baseline {
        case .actors: return "actor per instance + per node, \(asyncNodes ? "async bodies awaited" : "sync bodies")"
        case .taskGroup: return "TaskGroup fan-out, async closures"
        }
    }

    /// One baseline instance for input `i`, returning the exit value.
    var baselineJob: @Sendable (Int) async -> Int? {
        switch (shape, baseline) {
        case (.chain(let length), _):
            let body: BaselineNodeActor.Body = asyncNodes ? .asynchronous(BaselineWork.asynchronous) : .synchronous(BaselineWork.synchronous)
            return { input in await BaselineInstanceActor.runChain(input: input, length: length, body: body) }
        case (.diamond(let branches), _):
            return { input in await BaselineDiamond.run(input: input, branches: branches, body: BaselineWork.asynchronous) }
        }
    }
}
