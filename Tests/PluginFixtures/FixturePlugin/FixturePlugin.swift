import Foundation
import TroupePluginAPI

/// A plugin whose identity and faults come from a sidecar file, for the loader's tests.
final class FixturePlugin: PluginFactory {
    let identity: FixtureIdentity
    var name: String { identity.name }
    var version: String { identity.version }
    let summary = "test fixture"
    var provides: [PluginComponent] { identity.provides }
    var requires: [PluginRequirement] { identity.requires }

    init(identity: FixtureIdentity) { self.identity = identity }

    func configure(with config: JSONValue) throws {
        switch identity.configureFault {
        case "trap": fatalError("the fixture's configure traps, as asked")
        case "exit": exit(3)
        case "hang": while true { pause() }
        default: break
        }
        if let message = identity.configureError { throw ExecutionError(type: "FixtureConfigure", message: message) }
    }

    func makeExecutor(kind: String, config: JSONValue) throws -> any NodeExecutor {
        VersionExecutor(plugin: name, version: version)
    }

    func makeInterceptor(named name: String, config: JSONValue) throws -> any NodeInterceptor {
        VersionStamp(plugin: self.name, version: version)
    }
}

/// Outputs the plugin's name and version, after waiting `config.milliseconds` and until the file
/// `config.untilFileExists` exists, when given.
struct VersionExecutor: NodeExecutor {
    let plugin: String
    let version: String

    func execute(_ call: NodeCall) async throws -> JSONValue {
        if let milliseconds = call.config["milliseconds"]?.integerValue { try await Task.sleep(for: .milliseconds(milliseconds)) }
        if let path = call.config["untilFileExists"]?.stringValue {
            while !FileManager.default.fileExists(atPath: path) { try await Task.sleep(for: .milliseconds(25)) }
        }
        return ["plugin": .string(plugin), "version": .string(version)]
    }
}

/// Wraps the output with the plugin's version.
struct VersionStamp: NodeInterceptor {
    let plugin: String
    let version: String

    func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        ["stampedBy": .string("\(plugin)@\(version)"), "output": try await next.handle(call, context: context)]
    }
}

@_cdecl("troupe_plugin_abi")
public func troupePluginABI(_ record: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
    let written = PluginExport.writeABIRecord(to: record, capacity: capacity)
    if let identity = FixtureIdentity.load() {
        if let major = identity.abiMajor { record.storeBytes(of: major, toByteOffset: 8, as: UInt32.self) }
        if let minor = identity.swiftMinor { record.storeBytes(of: minor, toByteOffset: 20, as: UInt32.self) }
    }
    return written
}

/// Not a factory: what the entry point returns when its sidecar asks for the wrong type.
final class NotAFactory: Sendable {}

@_cdecl("troupe_plugin_entry")
public func troupePluginEntry() -> UnsafeMutableRawPointer? {
    guard let identity = FixtureIdentity.load(), !identity.entryReturnsNothing else { return nil }
    if identity.entryReturnsWrongType { return Unmanaged.passRetained(NotAFactory()).toOpaque() }
    return PluginExport.retainedFactory(FixturePlugin(identity: identity))
}

/// `JSONValue`'s type metadata as the plugin sees it, so that the tests can check that a plugin and
/// its host share one copy of the API library.
@_cdecl("troupe_fixture_json_value_type")
public func troupeFixtureJSONValueType() -> UnsafeRawPointer {
    unsafeBitCast(JSONValue.self as Any.Type, to: UnsafeRawPointer.self)
}
