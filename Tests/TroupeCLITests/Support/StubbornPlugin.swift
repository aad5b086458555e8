import Foundation
import ProcessSupport

/// A plugin whose `stubborn` executor ignores cancellation: it reports on `config.report` that it
/// is blocked, then blocks its thread reading `config.gate`. No built-in kind can be made to do
/// that (a `shell` node's process is killed with SIGKILL), so the test compiles this one with
/// `swiftc` against the plugin API next to the `troupe` binary: a single file, built in a second.
enum StubbornPlugin {
    static let source = #"""
        import Glibc
        import TroupePluginAPI

        final class StubbornPlugin: PluginFactory {
            let name = "stubborn"
            let version = "1.0.0"
            let summary = "an executor that ignores cancellation, for InterruptTests"
            let provides: [PluginComponent] = [.executor("stubborn")]
            func makeExecutor(kind: String, config: JSONValue) throws -> any NodeExecutor { StubbornExecutor() }
        }

        struct StubbornExecutor: NodeExecutor {
            func execute(_ call: NodeCall) async throws -> JSONValue {
                let report = open(call.config["report"]?.stringValue ?? "", O_WRONLY | O_CLOEXEC)
                var newline = UInt8(ascii: "\n")
                if report >= 0 { _ = write(report, &newline, 1); close(report) }
                let gate = open(call.config["gate"]?.stringValue ?? "", O_RDONLY | O_CLOEXEC)
                var byte: UInt8 = 0
                if gate >= 0 { _ = read(gate, &byte, 1); close(gate) }
                return "released"
            }
        }

        @_cdecl("troupe_plugin_abi")
        public func troupePluginABI(_ record: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
            PluginExport.writeABIRecord(to: record, capacity: capacity)
        }

        @_cdecl("troupe_plugin_entry")
        public func troupePluginEntry() -> UnsafeMutableRawPointer? {
            PluginExport.retainedFactory(StubbornPlugin())
        }
        """#

    /// Builds the plugin into `scratch` and returns the library's path.
    static func build(in scratch: Scratch) async throws -> String {
        let products = try TroupeExecutable.located().deletingLastPathComponent()
        let sourceFile = try scratch.write("Stubborn.swift", source)
        let library = scratch.directory.appendingPathComponent("libStubborn.so").path
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compiler.arguments = [
            "swiftc", "-emit-library", "-module-name", "Stubborn", "-I", products.appendingPathComponent("Modules").path,
            "-L", products.path, "-lTroupe", "-Xlinker", "-rpath", "-Xlinker", products.path, sourceFile, "-o", library,
        ]
        let status = try await compiler.runToEnd()
        guard status == 0 else { throw BuildFailure(status: status) }
        return library
    }

    /// `swiftc` failed; its messages went to the test's standard error.
    struct BuildFailure: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "swiftc exited with status \(status) building the stubborn plugin" }
    }
}
