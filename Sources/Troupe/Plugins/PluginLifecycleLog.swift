import Foundation

/// Every plugin lifecycle step, kept so that a late subscriber sees them all.
final class PluginLifecycleLog: Sendable {
    private let broadcast = Broadcast<PluginLifecycleEvent>()
    /// Steps and load failures for synchronous observers (metrics, the log sink), from the first.
    private let observed = LockedValue<(history: [PluginObservation], observers: [@Sendable (PluginObservation) -> Void])>(([], []))

    func record(_ plugin: String, _ version: SemanticVersion, _ generation: Int, _ status: PluginStatus) {
        let event = PluginLifecycleEvent(plugin: plugin, version: version, generation: generation, status: status, timestamp: Date())
        broadcast.append(event)
        notify(.step(event))
    }

    /// Tells observers which files or plugins failed to load.
    func failed(_ failures: [PluginFailure]) {
        for failure in failures { notify(.failure(failure)) }
    }

    func subscribe() -> AsyncStream<PluginLifecycleEvent> { broadcast.subscribe() }

    /// Calls `observer` with every step and failure so far, then with each new one as it happens,
    /// in order, under the log's lock: it must be quick and must not load plugins.
    func observe(_ observer: @escaping @Sendable (PluginObservation) -> Void) {
        observed.withLock { observed in
            for observation in observed.history { observer(observation) }
            observed.observers.append(observer)
        }
    }

    private func notify(_ observation: PluginObservation) {
        observed.withLock { observed in
            observed.history.append(observation)
            for observer in observed.observers { observer(observation) }
        }
    }
}
