/// One event as an ``EventLog`` keeps it until someone reads it: 40 bytes instead of the 96 a kind
/// and an instant take, because a parked or suspended instance's memory is mostly its history.
///
/// The kinds every node and instance records are kept as a code with their node's index in the
/// workflow, one text (a signal, a skip's reason, an error) and one number (an attempt, a duration
/// in nanoseconds); any other kind, one whose node is not the workflow's, or a duration finer than
/// a nanosecond, is kept whole beside the records, `number` being its place there.
struct EventRecord {
    private enum Code: UInt8 {
        case instanceStarted, nodeStarted, nodeCompleted, nodeFailed, nodeTimedOut, nodeCancelled, nodeSkipped, nodeWaiting
        case nodeSignalled, paused, resumed, cancelled, completed, failed, timedOut, uncommon

        /// Whether a record of this code names a node.
        var hasNode: Bool { (Code.nodeStarted.rawValue...Code.nodeSignalled.rawValue).contains(rawValue) }
    }

    private let text: String
    private let number: Int64
    /// Nanoseconds from the log's origin instant.
    let offset: Int64
    /// The node's index in the workflow; 0 for an instance's event.
    private let node: Int32
    private let code: Code

    /// `kind` at `offset` nanoseconds from the log's origin, its node found in `nodeIndices`; a kind
    /// it cannot hold goes to the end of `uncommon`.
    init(_ kind: WorkflowEvent.Kind, offset: Int64, nodeIndex: Int? = nil, nodeIndices: [String: Int], uncommon: inout [WorkflowEvent.Kind]) {
        self.offset = offset
        var node = ""
        var text = ""
        var number: Int64 = 0
        var code = Code.uncommon
        switch kind {
        case .instanceStarted: code = .instanceStarted
        case .nodeStarted(let id, let attempt): (code, node, number) = (.nodeStarted, id, Int64(attempt))
        case .nodeCompleted(let id, let duration):
            if let value = duration.exactNanoseconds { (code, node, number) = (.nodeCompleted, id, value) }
        case .nodeFailed(let id, let error, let duration):
            if let value = duration.exactNanoseconds { (code, node, text, number) = (.nodeFailed, id, error, value) }
        case .nodeTimedOut(let id, let duration):
            if let value = duration.exactNanoseconds { (code, node, number) = (.nodeTimedOut, id, value) }
        case .nodeCancelled(let id): (code, node) = (.nodeCancelled, id)
        case .nodeSkipped(let id, let reason): (code, node, text) = (.nodeSkipped, id, reason)
        case .nodeWaiting(let id, let signal): (code, node, text) = (.nodeWaiting, id, signal)
        case .nodeSignalled(let id, let signal): (code, node, text) = (.nodeSignalled, id, signal)
        case .paused: code = .paused
        case .resumed: code = .resumed
        case .cancelled(let duration): if let value = duration.exactNanoseconds { (code, number) = (.cancelled, value) }
        case .completed(let duration): if let value = duration.exactNanoseconds { (code, number) = (.completed, value) }
        case .failed(let error, let duration): if let value = duration.exactNanoseconds { (code, text, number) = (.failed, error, value) }
        case .timedOut(let duration): if let value = duration.exactNanoseconds { (code, number) = (.timedOut, value) }
        case .nodeRetrying, .interceptorNote: break
        }
        var index: Int32 = 0
        if code.hasNode {
            if let nodeIndex {
                assert(nodeIndices[node] == nodeIndex, "event of node \(node) recorded for node index \(nodeIndex)")
                index = Int32(nodeIndex)
            } else if let found = nodeIndices[node] {
                index = Int32(found)
            } else {
                code = .uncommon
            }
        }
        if code == .uncommon {
            number = Int64(uncommon.count)
            uncommon.append(kind)
        }
        self.node = index
        self.text = text
        self.number = number
        self.code = code
    }

    /// The kind it was made from; `nodeIDs` and `uncommon` are the ones it was made with.
    func kind(nodeIDs: [String], uncommon: [WorkflowEvent.Kind]) -> WorkflowEvent.Kind {
        let node = code.hasNode ? nodeIDs[Int(self.node)] : ""
        return switch code {
        case .instanceStarted: .instanceStarted
        case .nodeStarted: .nodeStarted(node: node, attempt: Int(number))
        case .nodeCompleted: .nodeCompleted(node: node, duration: .nanoseconds(number))
        case .nodeFailed: .nodeFailed(node: node, error: text, duration: .nanoseconds(number))
        case .nodeTimedOut: .nodeTimedOut(node: node, duration: .nanoseconds(number))
        case .nodeCancelled: .nodeCancelled(node: node)
        case .nodeSkipped: .nodeSkipped(node: node, reason: text)
        case .nodeWaiting: .nodeWaiting(node: node, signal: text)
        case .nodeSignalled: .nodeSignalled(node: node, signal: text)
        case .paused: .paused
        case .resumed: .resumed
        case .cancelled: .cancelled(duration: .nanoseconds(number))
        case .completed: .completed(duration: .nanoseconds(number))
        case .failed: .failed(error: text, duration: .nanoseconds(number))
        case .timedOut: .timedOut(duration: .nanoseconds(number))
        case .uncommon: uncommon[Int(number)]
        }
    }
}
