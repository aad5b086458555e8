/// Where a plugin generation is in its life: `loaded → configured → ready → draining → retired`.
public enum PluginStatus: String, Sendable, Hashable, CaseIterable {
    /// Its file is mapped, its ABI record checked and its factory made.
    case loaded
    /// Its executors were made with its configuration.
    case configured
    /// Its components are in the registry for new workflows.
    case ready
    /// Replaced by a newer generation; instances that started with it are finishing.
    case draining
    /// No instance uses it any more. Its image stays mapped: Swift code cannot be unloaded safely.
    case retired
}
