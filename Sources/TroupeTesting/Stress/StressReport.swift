import Troupe

/// What a ``StressRun`` measured and found.
public struct StressReport: Sendable {
    /// The run's seed: the same seed replays the same faults.
    public var seed: UInt64
    /// Instances that ran.
    public var instances: Int
    /// Wall time of the whole run.
    public var elapsed: Duration
    /// Instances ended per second of wall time.
    public var instancesPerSecond: Double
    /// How many instances ended in each status.
    public var statusCounts: [InstanceStatus: Int]
    /// Instance latency, start to result, as the driver saw it.
    public var latency: LatencySummary
    /// Node durations per node kind, for the nodes that ran.
    public var nodeLatency: [String: LatencySummary]
    /// `nodeRetrying` events over all instances.
    public var retries: Int
    /// How many instances got each driver fault: `cancel`, `pause`, `deadline`.
    public var injected: [String: Int]
    /// Every invariant violation, instances' and the run's own.
    public var violationCount: Int
    /// The first few instance violations, in the order found.
    public var violations: [StressViolation]
    /// Problems with the run as a whole, such as counts that do not add up.
    public var runViolations: [String]
    /// Resident memory and the leak check.
    public var memory: StressMemory
    /// Plugin reloads that succeeded while instances ran (see ``StressOptions/pluginReloadInterval``).
    public var pluginReloads: Int
    /// Each plugin whose reload failed, with why; its reloads stopped there and its last generation kept serving.
    public var stoppedPluginReloads: [String]

    /// Whether no invariant broke and memory came back within its bound.
    public var passed: Bool { violationCount == 0 && memory.leakCheckPassed }
}
