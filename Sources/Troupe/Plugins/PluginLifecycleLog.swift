import Foundation

/// Every plugin lifecycle step, kept so that a late subscriber sees them all.
final class PluginLifecycleLog: Sendable {
    private let broadcast = Broadcast<PluginLifecycleEvent>()

    func record(_ plugin: String, _ version: SemanticVersion, _ generation: Int, _ status: PluginStatus) {
        broadcast.append { _, _ in PluginLifecycleEvent(plugin: plugin, version: version, generation: generation, status: status, timestamp: Date()) }
    }

    func subscribe() -> AsyncStream<PluginLifecycleEvent> { broadcast.subscribe() }
}
