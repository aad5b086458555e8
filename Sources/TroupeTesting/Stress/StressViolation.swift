import Troupe

/// An invariant that one instance broke.
public struct StressViolation: Sendable, Hashable, CustomStringConvertible {
    /// The instance's position in the run, from 0.
    public var index: Int
    /// The instance's id in its runtime.
    public var instanceID: InstanceID
    /// The seed of its chaos stream: with the run's seed it replays the instance.
    public var seed: UInt64
    /// What broke.
    public var message: String

    /// Creates a violation.
    public init(index: Int, instanceID: InstanceID, seed: UInt64, message: String) {
        self.index = index
        self.instanceID = instanceID
        self.seed = seed
        self.message = message
    }

    public var description: String { "instance #\(index) (\(instanceID), seed \(seed)): \(message)" }
}
