/// The steps of mapping a plugin that run its code, in order: a probe reports each before it runs,
/// so that a crash, an exit or a hang can be blamed on the right one.
enum PluginLoadStage: String, Sendable {
    /// `dlopen`, which runs the library's constructors.
    case constructor
    /// The `troupe_plugin_abi` function.
    case abiFunction
    /// The `troupe_plugin_entry` function and the cast of what it returns.
    case entry
    /// The factory's `configure(with:)` and the making of its executors.
    case configure

    /// How a failure message names it: "the plugin's constructor".
    var described: String {
        switch self {
        case .constructor: "constructor"
        case .abiFunction: "ABI function (\(PluginExport.abiSymbol))"
        case .entry: "entry point (\(PluginExport.entrySymbol))"
        case .configure: "configure"
        }
    }
}
