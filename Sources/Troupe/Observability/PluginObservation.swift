/// A step of the plugin lifecycle or a plugin that failed to load, as observers of a registry see them.
enum PluginObservation: Sendable {
    case step(PluginLifecycleEvent)
    case failure(PluginFailure)
}
