import Troupe

/// Reloads every plugin loaded in a registry at an interval while a ``StressRun`` runs: the hot
/// reload fault, which makes instances start on a new generation while others still run on the old.
///
/// The first round runs at once, so any run with an interval reloads at least once. A plugin whose
/// reload fails (most often at the registry's generation cap, since old images stay mapped for
/// good) keeps its last generation serving and is not reloaded again; the failure is reported.
final class StressPluginReloads: Sendable {
    /// What the reloads came to.
    struct Outcome: Sendable {
        /// Reloads that succeeded.
        var reloads = 0
        /// Each plugin whose reload failed, with why; its reloads stopped there.
        var stopped: [String] = []
    }

    private let task: Task<Outcome, Never>

    /// Starts reloading `registry`'s plugins every `interval`, the first round at once.
    init(registry: Registry, every interval: Duration) {
        task = Task {
            var outcome = Outcome()
            var stoppedNames: Set<String> = []
            repeat {
                for plugin in registry.plugins where !stoppedNames.contains(plugin.name) {
                    do throws(PluginFailure) {
                        try await registry.reload(plugin: plugin.name)
                        outcome.reloads += 1
                    } catch {
                        stoppedNames.insert(plugin.name)
                        outcome.stopped.append("\(plugin.name): \(error.reason)")
                    }
                }
            } while (try? await Task.sleep(for: interval)) != nil
            return outcome
        }
    }

    /// Stops after the round in progress and returns what the reloads came to.
    func stop() async -> Outcome {
        task.cancel()
        return await task.value
    }
}
