import Troupe

/// How a ``StressRun`` drives a workflow: how many instances, how many at once, and which faults it injects.
public struct StressOptions: Sendable, Hashable {
    /// How many instances to run; ignored when ``duration`` is set.
    public var instances: Int
    /// How many instances are kept in flight at once.
    public var concurrency: Int
    /// When set, instances are started for this long (wall time), keeping ``concurrency`` in flight, instead of ``instances``.
    public var duration: Duration?
    /// Seeds every choice the driver makes and each instance's chaos stream, so a run replays with the same seed.
    public var seed: UInt64
    /// The input of every instance.
    public var input: JSONValue
    /// The share of instances, `0...1`, that the driver cancels while they run.
    public var cancelFraction: Double
    /// The share of instances, `0...1`, that the driver pauses and then resumes.
    public var pauseFraction: Double
    /// The share of instances, `0...1`, that run with a deadline of ``deadlineHit``, which most of them hit.
    public var deadlineFraction: Double
    /// The deadline those instances get.
    public var deadlineHit: Duration
    /// How far resident memory may stay above its level before the run once the run is over.
    public var leakBound: Int
    /// When set, every plugin loaded in the runtime's registry is reloaded this often while instances run, the first time at once.
    public var pluginReloadInterval: Duration?

    /// Creates options; by default 1,000 instances, 64 at once, no driver faults, no plugin reloads, a 64 MiB leak bound.
    public init(
        instances: Int = 1000, concurrency: Int = 64, duration: Duration? = nil, seed: UInt64 = 1, input: JSONValue = .null,
        cancelFraction: Double = 0, pauseFraction: Double = 0, deadlineFraction: Double = 0,
        deadlineHit: Duration = .milliseconds(1), leakBound: Int = 64 << 20, pluginReloadInterval: Duration? = nil
    ) {
        self.instances = instances
        self.concurrency = concurrency
        self.duration = duration
        self.seed = seed
        self.input = input
        self.cancelFraction = cancelFraction
        self.pauseFraction = pauseFraction
        self.deadlineFraction = deadlineFraction
        self.deadlineHit = deadlineHit
        self.leakBound = leakBound
        self.pluginReloadInterval = pluginReloadInterval
    }
}
