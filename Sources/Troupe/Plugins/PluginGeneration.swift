import Foundation
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
    /// The private copy this generation was mapped from.
    private let copy: String?
    /// The copy's SHA-256 once computed: whether it was, and the digest (`nil` when it could not be read).
    private let digest = LockedValue<(computed: Bool, value: String?)>((false, nil))

    init(pluginName: String, number: Int, version: SemanticVersion, registry: Registry, copy: String? = nil) {
        self.pluginName = pluginName
        self.number = number
        self.version = version
        self.registry = registry
        self.copy = copy
    }

    /// The hex SHA-256 of the plugin file this generation was loaded from, for durable runs to record;
    /// computed on first use (only durable runtimes ask), `nil` when the file cannot be read.
    var fileDigest: String? {
        digest.withLock { digest in
            if !digest.computed {
                digest = (true, copy.flatMap { FileManager.default.contents(atPath: $0) }.map { SHA256.hash(Array($0)) })
            }
            return digest.value
        }
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
