import Troupe

/// A snapshot of a running ``StressRun``, for a live status line.
public struct StressProgress: Sendable, Hashable {
    /// Instances that have ended.
    public var done: Int
    /// Instances running now.
    public var inFlight: Int
    /// Ended instances that did not complete.
    public var errors: Int
    /// Invariant violations found so far.
    public var violations: Int
}
