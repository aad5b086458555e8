/// Time on any `Clock<Duration>` as durations since the timeline was made, so that interceptors
/// holding the runtime's clock as an existential can compare and wait for instants.
struct Timeline: Sendable {
    /// The time passed since the timeline was made.
    let now: @Sendable () -> Duration
    /// Waits until `now()` reaches the given time; throws `CancellationError` when cancelled.
    let sleep: @Sendable (_ until: Duration) async throws -> Void

    /// A timeline on `clock`, starting now.
    init<C: Clock<Duration>>(_ clock: C) {
        let origin = clock.now
        now = { origin.duration(to: clock.now) }
        sleep = { try await clock.sleep(until: origin.advanced(by: $0), tolerance: nil) }
    }
}
