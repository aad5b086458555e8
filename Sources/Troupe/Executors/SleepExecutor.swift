/// The `sleep` kind: waits `config.seconds` on the runtime's clock, then outputs `config.output`
/// (or `{"slept": seconds}`); for demos and tests.
struct SleepExecutor: NodeExecutor {
    let clock: any Clock<Duration>
    /// Where a durable run's wake-ups are recorded as absolute times, and found again on resume.
    var journal: RunJournal? = nil

    func execute(_ call: NodeCall) async throws -> JSONValue {
        let (duration, output) = try Self.read(call.config, nodeID: call.nodeID)
        try await clock.sleep(for: journal?.sleepingTime(of: call.nodeID, in: call.instanceID, for: duration) ?? duration)
        return output
    }

    /// How long a `sleep` node with `config` sleeps and what it then outputs; throws `InvalidConfig`
    /// for a config without a usable `seconds`.
    static func read(_ config: JSONValue, nodeID: String) throws(ExecutionError) -> (duration: Duration, output: JSONValue) {
        guard let seconds = config["seconds"]?.doubleValue, seconds >= 0, seconds.isFinite else {
            throw ExecutionError(type: "InvalidConfig", message: "sleep node \(nodeID) needs config.seconds, a number ≥ 0")
        }
        do {
            return (try Duration(validatingSeconds: seconds), config["output"] ?? ["slept": .double(seconds)])
        } catch {
            throw ExecutionError(type: "InvalidConfig", message: "sleep node \(nodeID): config.seconds \(error)")
        }
    }
}
