/// The `sleep` kind: waits `config.seconds` on the runtime's clock, then outputs `config.output`
/// (or `{"slept": seconds}`); for demos and tests.
struct SleepExecutor: NodeExecutor {
    let clock: any Clock<Duration>
    /// Where a durable run's wake-ups are recorded as absolute times, and found again on resume.
    var journal: RunJournal? = nil

    func execute(_ call: NodeCall) async throws -> JSONValue {
        guard let seconds = call.config["seconds"]?.doubleValue, seconds >= 0, seconds.isFinite else {
            throw ExecutionError(type: "InvalidConfig", message: "sleep node \(call.nodeID) needs config.seconds, a number ≥ 0")
        }
        let duration: Duration
        do { duration = try Duration(validatingSeconds: seconds) } catch {
            throw ExecutionError(type: "InvalidConfig", message: "sleep node \(call.nodeID): config.seconds \(error)")
        }
        try await clock.sleep(for: journal?.sleepingTime(call, for: duration) ?? duration)
        return call.config["output"] ?? ["slept": .double(seconds)]
    }
}
