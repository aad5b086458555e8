/// The directories to scan for plugins, in order of precedence: the host's, the command line's,
/// then those in `TROUPE_PLUGIN_PATH` (colon-separated).
public enum PluginSearchPath {
    /// The environment variable that lists plugin directories.
    public static let environmentVariable = "TROUPE_PLUGIN_PATH"

    /// The directories in order of precedence, each listed once.
    public static func directories(host: [String] = [], commandLine: [String] = [], environment: [String: String]) -> [String] {
        let fromEnvironment = (environment[environmentVariable] ?? "").split(separator: ":").map(String.init)
        var seen = Set<String>()
        return (host + commandLine + fromEnvironment).filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
