import Foundation
import Testing

/// `troupe plugins`, and `run`/`validate` with plugins from the build folder.
@Suite(.timeLimit(.minutes(1)))
struct PluginsCommandTests {
    /// Holds the fixtures and captured output.
    let scratch: Scratch
    /// The folder with the built plugin products, beside the `troupe` binary.
    let buildFolder: URL

    /// Gives each test a fresh directory.
    init() throws {
        scratch = try Scratch()
        buildFolder = try TroupeExecutable.located().deletingLastPathComponent()
    }

    private func plugin(_ product: String) -> String { buildFolder.appendingPathComponent("lib\(product).so").path }

    /// The table shows each plugin's version, components, file and ABI, marks legacy middleware, and lists failures.
    @Test func listsPlugins() async throws {
        let notPlugin = try scratch.write("libnotes.so", String(repeating: "not a library\n", count: 20))
        let outcome = try await Invocation.run(
            ["plugins", "--plugin", plugin("TroupeAuditLog"), "--plugin", plugin("TroupeAPIKeyCheck"), "--plugin", notPlugin], scratch: scratch)
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.contains("audit-log 1.0.0  [ready, generation 1]"))
        #expect(outcome.standardOutput.contains("provides: interceptor audit"))
        #expect(outcome.standardOutput.contains("provides: legacy middleware api-key (adapted)"))
        #expect(outcome.standardOutput.contains("ABI:      3.0, Swift 6.3, 64-bit"))
        #expect(outcome.standardOutput.contains("FAILED \(notPlugin): not an ELF shared library"))
    }

    /// A workflow naming a plugin's interceptor validates and runs only with the plugin loaded.
    @Test func runsWithPlugin() async throws {
        let audit = scratch.directory.appendingPathComponent("audit.jsonl").path
        let file = try scratch.write("audited.json", """
            {"id": "audited", "version": "1.0.0",
             "interceptors": [{"name": "audit@^1.0", "config": {"path": "\(audit)"}}],
             "nodes": [{"id": "hello", "kind": "shell", "config": {"command": "echo", "arguments": ["hi"]}}]}
            """)
        let without = try await Invocation.run(["validate", file], scratch: scratch)
        #expect(without.status == 2)
        #expect(without.standardError.contains("interceptors[0]: unknown interceptor \"audit\""))
        let run = try await Invocation.run(["run", file, "--plugin", plugin("TroupeAuditLog")], scratch: scratch)
        #expect(run.status == 0, "\(run.standardError)")
        let lines = try String(contentsOfFile: audit, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\"node\":\"hello\"") == true)
    }
}
