import Foundation
import Troupe

/// Reloads a plugin when its file changes, checking every loaded plugin's file twice a second.
final class PluginWatcher: Sendable {
    private let task: Task<Void, Never>

    /// Starts watching the plugins loaded in `registry`.
    init(registry: Registry) {
        task = Task.detached {
            var seen = Self.modificationDates(registry.plugins)
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                for plugin in registry.plugins {
                    guard let date = Self.modificationDate(plugin.file), date != seen[plugin.name] else { continue }
                    seen[plugin.name] = date
                    do {
                        try await registry.reload(plugin: plugin.name)
                        let current = registry.plugins.first { $0.name == plugin.name }
                        Console.error("reloaded plugin \(plugin.name): version \(current?.version.description ?? "?"), generation \(current?.generation ?? 0)")
                    } catch {
                        Console.error("warning: reload failed, the old version keeps serving: \(error)")
                    }
                }
            }
        }
    }

    /// Stops watching.
    func stop() { task.cancel() }

    private static func modificationDates(_ plugins: [PluginRecord]) -> [String: Date] {
        Dictionary(plugins.compactMap { plugin in modificationDate(plugin.file).map { (plugin.name, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    private static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
