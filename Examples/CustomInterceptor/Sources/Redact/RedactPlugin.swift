import TroupePluginAPI

/// The plugin: its name, version, and the one interceptor it provides.
final class RedactPlugin: PluginFactory {
    let name = "redact"
    let version = "1.0.0"
    let summary = "Replaces the values of chosen keys in node outputs with \"***\""
    let provides: [PluginComponent] = [.interceptor("redact")]

    /// Config, where a workflow names the interceptor: `{"keys": ["password", "token"]}`.
    func makeInterceptor(named name: String, config: JSONValue) throws -> any NodeInterceptor {
        guard let keys = config["keys"]?.arrayValue?.compactMap(\.stringValue), !keys.isEmpty else {
            throw ExecutionError(type: "InvalidConfig", message: "redact needs config {\"keys\": [\"password\", ...]}")
        }
        return RedactInterceptor(keys: Set(keys))
    }
}

/// Runs the rest of the chain, then hides the chosen keys anywhere in the output.
struct RedactInterceptor: NodeInterceptor {
    let keys: Set<String>

    /// It awaits nothing but `next`, so a node whose executor does not suspend still runs inline.
    var neverSuspends: Bool { true }

    func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        redact(try await next.handle(call, context: context))
    }

    private func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(Dictionary(uniqueKeysWithValues: members.map { key, member in (key, keys.contains(key) ? "***" : redact(member)) }))
        case .array(let elements):
            return .array(elements.map(redact))
        default:
            return value
        }
    }
}

// The two C entry points every Troupe plugin exports: the ABI record, checked before any Swift
// type of the plugin is touched, and the factory.
@_cdecl("troupe_plugin_abi")
public func troupePluginABI(_ record: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
    PluginExport.writeABIRecord(to: record, capacity: capacity)
}

@_cdecl("troupe_plugin_entry")
public func troupePluginEntry() -> UnsafeMutableRawPointer? {
    PluginExport.retainedFactory(RedactPlugin())
}
