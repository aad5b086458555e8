import Synchronization
import Troupe

/// Hands out instance ids, one more each time, from any thread, as a runtime numbers its instances.
final class InstanceCounter: Sendable {
    private let last = Atomic<UInt64>(0)

    /// The next id.
    func next() -> InstanceID { InstanceID(rawValue: last.wrappingAdd(1, ordering: .relaxed).newValue) }
}
