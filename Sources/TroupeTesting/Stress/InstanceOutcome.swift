import Troupe

/// What the driver learnt from one instance.
struct InstanceOutcome: Sendable {
    var index: Int
    var instanceID: InstanceID
    var seed: UInt64
    var status: InstanceStatus
    var latency: Duration
    /// The duration of each node that ran, with its kind.
    var nodeDurations: [(kind: String, duration: Duration)]
    var retries: Int
    /// The fault the driver injected, by name, if it got to inject it.
    var injected: String?
    var violations: [String]
}
