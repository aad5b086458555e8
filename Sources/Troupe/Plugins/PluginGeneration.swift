import Synchronization

/// One load of a plugin. Counts the instances that started with its components, so that after a
/// reload it can retire when the last of them ends.
final class PluginGeneration: Sendable {
    let pluginName: String
    let number: Int
    let version: SemanticVersion
    private let activeInstances = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let retired = Atomic<Bool>(false)
    private weak let registry: Registry?

    init(pluginName: String, number: Int, version: SemanticVersion, registry: Registry) {
        self.pluginName = pluginName
        self.number = number
        self.version = version
        self.registry = registry
    }

    func instanceStarted() {
        activeInstances.wrappingAdd(1, ordering: .sequentiallyConsistent)
    }

    func instanceEnded() {
        let remaining = activeInstances.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue
        if remaining == 0 && draining.load(ordering: .sequentiallyConsistent) { retireOnce() }
    }

    /// Marks the generation replaced; it retires now if nothing uses it, else when the last user ends.
    func drain() {
        draining.store(true, ordering: .sequentiallyConsistent)
        if activeInstances.load(ordering: .sequentiallyConsistent) == 0 { retireOnce() }
    }

    private func retireOnce() {
        guard retired.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged else { return }
        registry?.generationRetired(self)
    }
}
