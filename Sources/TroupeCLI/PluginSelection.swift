import Foundation
import Troupe

/// The plugins named on a command line (`--plugin PATH`, `--plugins DIR`, `--plugins-manifest FILE`)
/// plus the directories in `TROUPE_PLUGIN_PATH`, and loading them into a runtime's registry.
///
/// Each file is vetted first in a child process (this binary in probe mode) unless
/// `--plugin-vetting off` says otherwise.
struct PluginSelection: Sendable {
    /// The options it reads.
    static let options: Set<String> = ["plugin", "plugins", "plugins-manifest", "plugin-vetting", "plugin-time-limit"]
    /// The help lines for those options.
    static let help = """
          --plugin PATH            load a plugin .so (may be repeated); if it fails to load, nothing runs
          --plugins DIR            load every lib*.so in DIR (may be repeated; before TROUPE_PLUGIN_PATH);
                                   a file there that fails is reported and the others load
          --plugins-manifest FILE  pinned digests, preferences and plugin configuration (JSON)
          --plugin-vetting MODE    probe (default): try each plugin in a child process before loading it;
                                   off: load it straight into this process
          --plugin-time-limit S    how long a vetting child may take, in seconds (default 5)
        """

    /// Plugin files given with `--plugin`.
    let files: [String]
    /// The directories given with `--plugins`.
    let commandLineDirectories: [String]
    /// Plugin directories, in order of precedence.
    let directories: [String]
    /// The manifest file, when given.
    let manifest: String?
    /// Whether plugins are vetted in a child process first.
    let vets: Bool
    /// How long a vetting child may take.
    let timeLimit: Duration

    /// Reads the options from `arguments` and the search path from the environment.
    init(_ arguments: Arguments) throws(UsageError) {
        files = arguments[all: "plugin"]
        commandLineDirectories = arguments[all: "plugins"]
        directories = PluginSearchPath.directories(commandLine: commandLineDirectories, environment: ProcessInfo.processInfo.environment)
        manifest = arguments[option: "plugins-manifest"]
        switch arguments[option: "plugin-vetting"] {
        case nil, "probe": vets = true
        case "off": vets = false
        case let other?: throw UsageError(message: "--plugin-vetting takes probe or off, not \"\(other)\"")
        }
        if let text = arguments[option: "plugin-time-limit"] {
            guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= 600 else {
                throw UsageError(message: "--plugin-time-limit takes a number of seconds above 0 and at most 600, not \"\(text)\"")
            }
            timeLimit = .milliseconds(Int((seconds * 1000).rounded(.up)))
        } else {
            timeLimit = .seconds(5)
        }
    }

    /// Loads the plugins into `registry`, reporting each failure on standard error; `nil` when the
    /// manifest is unusable or, when `strict`, a file named with `--plugin` failed to load.
    func load(into registry: Registry, strict: Bool = true) -> [PluginFailure]? {
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
        // Foundation would call a file given as a directory "NSCocoaErrorDomain error 256".
        let notDirectories = commandLineDirectories.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        for path in notDirectories { Console.error("warning: --plugins \(path): not a directory") }
        let searched = directories.filter { !notDirectories.contains($0) }
        guard !files.isEmpty || !searched.isEmpty else { return [] }
        if vets {
            guard let executable = Self.ownExecutable() else {
                Console.error("error: cannot find this program's own file to vet plugins with; give --plugin-vetting off to load them unvetted")
                return nil
            }
            options.vetting = .probe(executable: executable, timeLimit: timeLimit)
        }
        let failures = registry.loadPlugins(files: files, directories: searched, options: options)
        let named = Set(files + files.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 })
        let fatal = strict ? failures.filter { named.contains($0.file) } : []
        for failure in failures where !named.contains(failure.file) { Console.error("warning: \(failure)") }
        for failure in fatal { Console.error("error: \(failure)") }
        return fatal.isEmpty ? failures : nil
    }

    /// This process's executable, which runs the probe when given ``PluginProbe/commandWord``.
    private static func ownExecutable() -> String? {
        guard let path = realpath("/proc/self/exe", nil) else { return nil }
        defer { free(path) }
        return String(cString: path)
    }
}
