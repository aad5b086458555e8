import Foundation
import Troupe

/// The plugins named on a command line (`--plugin PATH`, `--plugins DIR`, `--plugins-manifest FILE`)
/// plus the directories in `TROUPE_PLUGIN_PATH`, and loading them into a runtime's registry.
struct PluginSelection: Sendable {
    /// The options it reads.
    static let options: Set<String> = ["plugin", "plugins", "plugins-manifest"]
    /// The help lines for those options.
    static let help = """
          --plugin PATH            load a plugin .so (may be repeated)
          --plugins DIR            load every lib*.so in DIR (may be repeated; before TROUPE_PLUGIN_PATH)
          --plugins-manifest FILE  pinned digests, preferences and plugin configuration (JSON)
        """

    /// Plugin files given with `--plugin`.
    let files: [String]
    /// Plugin directories, in order of precedence.
    let directories: [String]
    /// The manifest file, when given.
    let manifest: String?

    /// Reads the options from `arguments` and the search path from the environment.
    init(_ arguments: Arguments) {
        files = arguments[all: "plugin"]
        directories = PluginSearchPath.directories(commandLine: arguments[all: "plugins"], environment: ProcessInfo.processInfo.environment)
        manifest = arguments[option: "plugins-manifest"]
    }

    /// Loads the plugins into `registry`, reporting each failure on standard error; `nil` when the manifest is unusable.
    func load(into registry: Registry) -> [PluginFailure]? {
        var options = PluginLoadOptions()
        if let manifest {
            guard let data = FileManager.default.contents(atPath: manifest) else {
                Console.error("\(manifest): cannot read the plugins manifest")
                return nil
            }
            do {
                options = try PluginLoadOptions(manifest: String(decoding: data, as: UTF8.self))
            } catch {
                for issue in error.issues { Console.error("\(manifest): \(issue)") }
                return nil
            }
        }
        guard !files.isEmpty || !directories.isEmpty else { return [] }
        let failures = registry.loadPlugins(files: files, directories: directories, options: options)
        for failure in failures { Console.error("warning: \(failure)") }
        return failures
    }
}
