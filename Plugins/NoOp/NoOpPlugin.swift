import TroupePluginAPI

/// The `no-op-<file stem>` plugin: one interceptor of the same name that only calls the rest of the chain.
///
/// Its names come from the file it is loaded from, so that copies of the library under different
/// file names load side by side as different plugins; troupe-bench uses it to measure plugin costs.
final class NoOpPlugin: PluginFactory {
    /// `no-op-` and the file stem.
    let name: String
    /// Fixed: copies differ only in name.
    let version = "1.0.0"
    /// One line for `troupe plugins`.
    let summary = "A no-op node interceptor named after its file, for troupe-bench"
    /// One interceptor, named like the plugin.
    let provides: [PluginComponent]

    /// A plugin and interceptor both called `name`.
    init(name: String) {
        self.name = name
        provides = [.interceptor(name)]
    }

    /// Takes no config.
    func makeInterceptor(named name: String, config: JSONValue) throws -> any NodeInterceptor {
        NoOpInterceptor()
    }
}

@_cdecl("troupe_plugin_abi")
public func troupePluginABI(_ record: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
    PluginExport.writeABIRecord(to: record, capacity: capacity)
}

@_cdecl("troupe_plugin_entry")
public func troupePluginEntry() -> UnsafeMutableRawPointer? {
    guard let stem = OwnImage.fileStem() else { return nil }
    return PluginExport.retainedFactory(NoOpPlugin(name: "no-op-\(stem)"))
}
