/// Injects faults into a node's calls, the built-in `chaos` interceptor: failures (retryable or
/// not), added latency, and hangs that only a timeout, a deadline or a cancel ends.
///
/// Latency and hangs come before the call; a failure replaces the output after it, so the attempt
/// is counted and a retry of it shows as `nodeRetrying`. The node's own `retry` and `timeout`
/// fields sit inside every named interceptor: to retry injected failures or end injected hangs,
/// name `retry` or `timeout` before `chaos` in the node's `interceptors`.
///
/// Every decision is drawn from a stream seeded by (seed, instance, node, attempt), so a run
/// replays exactly: the same calls fail, wait and hang, whatever else ran at the same time. A
/// stress driver gives each instance its own seed through the call's metadata
/// (``seedMetadataKey``), which then replaces both the configured seed and the instance id, so
/// one instance replays alone. Waits are on the runtime's clock.
public struct ChaosInterceptor: NodeInterceptor {
    /// The metadata key whose value, a decimal `UInt64`, overrides the seed for one instance.
    public static let seedMetadataKey = "troupe-chaos-seed"
    /// The error type of an injected failure that retries may repeat.
    public static let failureType = "ChaosFailure"
    /// The error type of an injected failure meant to end the node: list it in `nonRetryableErrorTypes`.
    public static let fatalType = "ChaosFatal"

    /// What it injects.
    public let config: ChaosConfig
    private let clock: any Clock<Duration>

    /// Creates the interceptor; waits use `clock`, so tests can use a virtual one.
    public init(config: ChaosConfig, clock: any Clock<Duration> = ContinuousClock()) {
        self.config = config
        self.clock = clock
    }

    /// Only failures need no wait: the node can then still run inline.
    public var neverSuspends: Bool { config.latency == nil && config.hangRate == 0 }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        var stream = stream(for: call)
        // Three draws every call, in a fixed order, so changing one rate does not shift the others.
        let failureDraw = stream.nextUnit()
        let hangDraw = stream.nextUnit()
        let latencyDraw = stream.nextUnit()
        if let latency = config.latency {
            let delay = latency.delay(forUnit: latencyDraw)
            if delay > .zero { try await clock.sleep(for: delay) }
        }
        if hangDraw < config.hangRate {
            try await clock.sleep(for: Duration.maximumWorkflowDuration)
        }
        let output = try await next.handle(call, context: context)
        // After the call, not instead of it: the attempt counts and its retry shows, as when a
        // node did its work and the answer was lost on the way back.
        if failureDraw < config.failureRate {
            throw ExecutionError(
                type: config.retryable ? Self.failureType : Self.fatalType,
                message: "injected failure of node \(call.nodeID), attempt \(call.attempt)",
                details: ["attempt": .integer(call.attempt)])
        }
        return output
    }

    /// The stream of this call: from the instance's seed in the metadata, else the configured seed and the instance id.
    private func stream(for call: NodeCall) -> ChaosStream {
        if let text = call.metadata[Self.seedMetadataKey], let seed = UInt64(text) {
            return ChaosStream(seed: seed, instance: 0, node: call.nodeID, attempt: call.attempt)
        }
        return ChaosStream(seed: config.seed, instance: call.instanceID.rawValue, node: call.nodeID, attempt: call.attempt)
    }
}
