import Troupe

/// Resident memory around a ``StressRun``, in bytes, and the leak check made from it.
public struct StressMemory: Sendable, Hashable {
    /// Resident before the first instance started.
    public var before: Int
    /// The most seen resident while instances ran (sampled as they ended).
    public var peak: Int
    /// The process's high-water mark (`VmHWM`) after the run; it includes anything earlier in the process.
    public var highWaterMark: Int
    /// Resident once every instance had ended and freed memory was handed back.
    public var after: Int
    /// The peak's growth over ``before``, shared among the most instances that were in flight at once.
    public var perInFlightInstance: Int
    /// How far ``after`` may stay above ``before``.
    public var leakBound: Int

    /// Whether resident memory came back to within ``leakBound`` of where it started.
    public var leakCheckPassed: Bool { after - before <= leakBound }
}
