/// The `wait` kind: completes with the value of the signal the host sends it through
/// `WorkflowHandle.signal(_:_:)` (`config.signal`, by default the node's id); with `config.timeout`
/// (seconds), fails with ``SignalTimeout`` when none comes in time. A signal sent before the node
/// waits is kept for it.
struct WaitExecutor: NodeExecutor {
    let board: SignalBoard
    let clock: any Clock<Duration>
    /// Records a durable run's waits in its history; `nil` for a runtime without a store.
    let journal: RunJournal?

    func execute(_ call: NodeCall) async throws -> JSONValue {
        let (config, issues) = WaitConfig.read(call.config, nodeID: call.nodeID, at: "config")
        guard let config else {
            throw ExecutionError(type: "InvalidConfig", message: "wait node \(call.nodeID): \(issues.map(\.description).joined(separator: "; "))")
        }
        guard let mailbox = board.mailbox(for: call.instanceID) else {
            throw ExecutionError(
                type: "NoSignalMailbox",
                message: "wait node \(call.nodeID): instance \(call.instanceID) is not running in this runtime, so no signal can reach it")
        }
        let record = journal?.waitRecord(node: call.nodeID, signal: config.signal, of: call.instanceID)
        return try await mailbox.receive(config.signal, node: call.nodeID, timeout: config.timeout, clock: clock, record: record)
    }
}
