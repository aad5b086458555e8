import TroupePluginAPI

/// The `audit-log` plugin: an `audit` interceptor that appends one JSON line per node call to a file.
final class AuditLogPlugin: PluginFactory {
    let name = "audit-log"
    let version = "1.0.0"
    let summary = "Appends one JSON line per node call (instance, node, kind, attempt, duration, status) to a file"
    let provides: [PluginComponent] = [.interceptor("audit")]

    /// Config: `{"path": "/var/log/troupe/audit.jsonl"}`, given where a workflow names the interceptor.
    func makeInterceptor(named name: String, config: JSONValue) throws -> any NodeInterceptor {
        guard let path = config["path"]?.stringValue, path.hasPrefix("/") else {
            throw ExecutionError(type: "InvalidConfig", message: "audit needs config {\"path\": \"/absolute/file\"}")
        }
        return try AuditLogInterceptor(path: path)
    }
}

@_cdecl("troupe_plugin_abi")
public func troupePluginABI(_ record: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
    PluginExport.writeABIRecord(to: record, capacity: capacity)
}

@_cdecl("troupe_plugin_entry")
public func troupePluginEntry() -> UnsafeMutableRawPointer? {
    PluginExport.retainedFactory(AuditLogPlugin())
}
