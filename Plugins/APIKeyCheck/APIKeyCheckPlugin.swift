import TroupePluginAPI

/// The `api-key-check` plugin: legacy hook-style middleware, adapted by the registry, that admits
/// only calls carrying a known API key.
final class APIKeyCheckPlugin: PluginFactory {
    let name = "api-key-check"
    let version = "1.0.0"
    let summary = "Legacy middleware: denies node calls without a known x-api-key header, stamps the caller otherwise"
    let provides: [PluginComponent] = [.legacyMiddleware("api-key")]

    /// Config: `{"keys": {"KEY": "caller name", …}, "header": "x-api-key"}`.
    func makeLegacyMiddleware(named name: String, config: JSONValue) throws -> AnyLegacyMiddleware {
        guard let keys = config["keys"]?.objectValue, !keys.isEmpty else {
            throw ExecutionError(type: "InvalidConfig", message: "api-key needs config {\"keys\": {\"KEY\": \"caller\"}}")
        }
        var callers: [String: String] = [:]
        for (key, caller) in keys {
            guard let caller = caller.stringValue else { throw ExecutionError(type: "InvalidConfig", message: "api-key: keys.\(key) must be a string") }
            callers[key] = caller
        }
        return .synchronous(APIKeyCheck(callers: callers, header: config["header"]?.stringValue ?? "x-api-key"))
    }
}

@_cdecl("troupe_plugin_abi")
public func troupePluginABI(_ record: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
    PluginExport.writeABIRecord(to: record, capacity: capacity)
}

@_cdecl("troupe_plugin_entry")
public func troupePluginEntry() -> UnsafeMutableRawPointer? {
    PluginExport.retainedFactory(APIKeyCheckPlugin())
}
