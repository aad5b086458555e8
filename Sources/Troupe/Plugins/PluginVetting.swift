/// Whether a plugin is tried in a child process before the host maps it.
public enum PluginVetting: Sendable, Hashable {
    /// Map the plugin in the host straight away: a plugin whose constructor, ABI function, entry
    /// point or `configure` crashes, exits or hangs takes the host with it.
    case inProcessOnly
    /// Run `executable` with `arguments`, the private copy's path and the plugin's configuration
    /// first; it loads the plugin as the host would (see ``PluginProbe``) and reports on its standard
    /// output. A crash, an exit, no answer within `timeLimit` or a bad answer refuses the plugin, and
    /// the host never maps it.
    case probe(executable: String, arguments: [String] = [PluginProbe.commandWord], timeLimit: Duration = .seconds(5))
}
