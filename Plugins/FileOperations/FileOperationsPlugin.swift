import TroupePluginAPI

/// The `file-operations` plugin: a `files` executor that reads, writes atomically, hashes and lists files.
final class FileOperationsPlugin: PluginFactory {
    let name = "file-operations"
    let version = "1.0.0"
    let summary = "A files executor: read, write (atomically), sha256 and list, confined to a root directory"
    let provides: [PluginComponent] = [.executor("files")]

    /// Plugin config: `{"root": "/data"}` confines every path to that directory (default `/`).
    func makeExecutor(kind: String, config: JSONValue) throws -> any NodeExecutor {
        let root = config["root"]?.stringValue ?? "/"
        guard root.hasPrefix("/") else { throw ExecutionError(type: "InvalidConfig", message: "files: root must be an absolute path") }
        return FileOperationsExecutor(root: root)
    }
}

@_cdecl("troupe_plugin_abi")
public func troupePluginABI(_ record: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
    PluginExport.writeABIRecord(to: record, capacity: capacity)
}

@_cdecl("troupe_plugin_entry")
public func troupePluginEntry() -> UnsafeMutableRawPointer? {
    PluginExport.retainedFactory(FileOperationsPlugin())
}
