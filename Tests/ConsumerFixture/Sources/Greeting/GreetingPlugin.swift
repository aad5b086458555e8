import TroupePluginAPI

/// A plugin built outside Troupe: one executor, `greet`.
final class GreetingPlugin: PluginFactory {
    let name = "greeting"
    let version = "1.0.0"
    let summary = "Greets the workflow input's name"
    let provides: [PluginComponent] = [.executor("greet")]

    func makeExecutor(kind: String, config: JSONValue) throws -> any NodeExecutor {
        GreetExecutor()
    }
}

/// Answers `hello, <input.name>`, in a JSONValue the host reads.
struct GreetExecutor: NodeExecutor {
    var runsInline: Bool { true }

    func execute(_ call: NodeCall) async throws -> JSONValue {
        .string("hello, \(call.input["name"]?.stringValue ?? "nobody")")
    }
}

@_cdecl("troupe_plugin_abi")
public func troupePluginABI(_ record: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
    PluginExport.writeABIRecord(to: record, capacity: capacity)
}

@_cdecl("troupe_plugin_entry")
public func troupePluginEntry() -> UnsafeMutableRawPointer? {
    PluginExport.retainedFactory(GreetingPlugin())
}
