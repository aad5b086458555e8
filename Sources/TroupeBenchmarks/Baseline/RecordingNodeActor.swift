import Troupe

/// A node of ``RecordingInstanceActor``: an actor of its own, created per instance, that does what
/// Troupe's node actor keeps for the user around its body: the state it may run from, its start and
/// end read from the clock, its `nodeStarted` and `nodeCompleted` events, and its report.
actor RecordingNodeActor {
    /// What the node computes from its call.
    enum Body: Sendable {
        /// Called directly in the actor.
        case synchronous(@Sendable (NodeCall) -> JSONValue)
        /// Awaited in the actor.
        case asynchronous(@Sendable (NodeCall) async -> JSONValue)
    }

    private enum State {
        case pending, running, completed
    }

    private let index: Int32
    private let body: Body
    private let log: RecordingEventLog
    private var state = State.pending

    init(index: Int, body: Body, log: RecordingEventLog) {
        self.index = Int32(index)
        self.body = body
        self.log = log
    }

    /// Runs the node once on `call` and reports how it ended.
    func run(_ call: NodeCall) async -> NodeReport {
        precondition(state == .pending, "node \(call.nodeID) ran twice")
        state = .running
        let start = ContinuousClock.now
        log.append(.nodeStarted, node: index, number: Int64(call.attempt), at: start)
        let output: JSONValue
        switch body {
        case .synchronous(let body): output = body(call)
        case .asynchronous(let body): output = await body(call)
        }
        let end = ContinuousClock.now
        let duration = end - start
        log.append(.nodeCompleted, node: index, number: duration.wrappingNanoseconds, at: end)
        state = .completed
        return NodeReport(status: .completed, output: output, attempts: call.attempt, duration: duration)
    }
}
