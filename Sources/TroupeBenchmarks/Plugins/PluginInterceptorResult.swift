/// The time per node call with no-op interceptors from a plugin `.so`, with the same ones compiled in, and with none.
struct PluginInterceptorResult: Sendable {
    /// The fastest round's nanoseconds per node call without interceptors.
    let none: Double
    /// The same with the compiled-in no-op interceptors.
    let compiledIn: Double
    /// The same with the no-op interceptors from the plugin.
    let fromPlugin: Double

    /// The nanoseconds per node call the compiled-in interceptors add to none.
    var addedCompiledIn: Double { compiledIn - none }
    /// The nanoseconds per node call the plugin's interceptors add to none.
    var addedFromPlugin: Double { fromPlugin - none }
    /// What the plugin's interceptors add over what the compiled-in ones add; at most 1 they cost no more.
    var ratio: Double { addedFromPlugin / addedCompiledIn }
}
