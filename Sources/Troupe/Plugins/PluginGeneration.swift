import Synchronization

/// One load of a plugin. Counts the prepared workflows whose chains use its components (each
/// running instance holds its prepared workflow), so that after a reload it retires when the last
/// of them is released: it never reports `retired` while something can still start on it.
final class PluginGeneration: Sendable {
    let pluginName: String
    let number: Int
    let version: SemanticVersion
    private let holders = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let retired = Atomic<Bool>(false)
    private weak let registry: Registry?

    init(pluginName: String, number: Int, version: SemanticVersion, registry: Registry) {
        self.pluginName = pluginName
        self.number = number
        self.version = version
        self.registry = registry
    }

    /// A prepared workflow now uses this generation.
    func hold() {
        holders.wrappingAdd(1, ordering: .sequentiallyConsistent)
    }

    /// A prepared workflow that used this generation was released.
    func release() {
        let remaining = holders.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue
        if remaining == 0 && draining.load(ordering: .sequentiallyConsistent) { retireOnce() }
    }

    /// Marks the generation replaced; it retires now if nothing uses it, else when the last user ends.
    func drain() {
        draining.store(true, ordering: .sequentiallyConsistent)
        if holders.load(ordering: .sequentiallyConsistent) == 0 { retireOnce() }
    }

    private func retireOnce() {
        guard retired.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
        registry?.generationRetired(self)
    }
}
