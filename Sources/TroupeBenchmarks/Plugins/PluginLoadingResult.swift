/// How long one `loadPlugins` call took to load a directory of plugins.
struct PluginLoadingResult: Sendable {
    /// How many plugins it loaded.
    let plugins: Int
    /// Its wall time.
    let elapsed: Duration

    /// The wall time in milliseconds.
    var milliseconds: Double { elapsed.seconds * 1e3 }
}
