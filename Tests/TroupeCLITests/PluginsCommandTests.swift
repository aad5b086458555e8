import Foundation
import ProcessSupport
import Testing
import Troupe

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

    /// A fresh 0755 directory under the build folder for plugin files: the loader refuses any below `/tmp`, which others can write to.
    private func pluginFolder() throws -> String {
        let path = buildFolder.appendingPathComponent("troupe-cli-plugin-tests/\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        chmod(buildFolder.appendingPathComponent("troupe-cli-plugin-tests").path, 0o755)
        return path
    }

    /// Compiles C `source` into `folder/name.so`, a plugin whose ABI function writes the host's record.
    private func compilePlugin(_ name: String, in folder: String, body: String) async throws -> String {
        let bytes: [UInt8] = withUnsafeBytes(of: PluginABIRecord.current) { Array($0) }
        let record = "{" + bytes.map { String($0) }.joined(separator: ",") + "}"
        let source = """
            #include <string.h>
            #include <stdlib.h>
            static const unsigned char record[] = \(record);
            long troupe_plugin_abi(void *out, long capacity) { memcpy(out, record, sizeof record); return sizeof record; }
            \(body)
            """
        try source.write(toFile: "\(folder)/\(name).c", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-shared", "-fPIC", "-o", "\(folder)/\(name).so", "\(folder)/\(name).c"]
        try #require(try await process.runToEnd() == 0)
        return "\(folder)/\(name).so"
    }

    /// A workflow that needs no plugin.
    private func plainWorkflow() throws -> String {
        try scratch.write("plain.json", #"{"id": "plain", "version": "1.0.0", "nodes": [{"id": "a", "kind": "shell", "config": {"command": "true"}}]}"#)
    }

    /// The table shows each plugin's version, components, file and ABI, marks legacy middleware, and lists failures.
    @Test func listsPlugins() async throws {
        let folder = try pluginFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let notPlugin = folder + "/libnotes.so"
        try String(repeating: "not a library\n", count: 20).write(toFile: notPlugin, atomically: true, encoding: .utf8)
        let outcome = try await Invocation.run(
            ["plugins", "--plugin", plugin("TroupeAuditLog"), "--plugin", plugin("TroupeAPIKeyCheck"), "--plugin", notPlugin], scratch: scratch)
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.contains("audit-log 1.0.0  [ready, generation 1]"))
        #expect(outcome.standardOutput.contains("provides: interceptor audit"))
        #expect(outcome.standardOutput.contains("provides: legacy middleware api-key (adapted)"))
        #expect(outcome.standardOutput.contains("ABI:      \(PluginABI.major).\(PluginABI.minor), Swift 6.3, 64-bit"))
        #expect(outcome.standardOutput.contains("FAILED \(notPlugin): not an ELF file (no ELF magic number), not a shared library"))
    }

    /// A workflow naming a plugin's interceptor validates and runs only with the plugin loaded.
    @Test func runsWithPlugin() async throws {
        let audit = scratch.directory.appendingPathComponent("audit.jsonl").path
        let file = try scratch.write(
            "audited.json",
            """
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

    /// A `--plugin` file that fails to load stops `run` and `validate` (exit 2, nothing runs); one found in a `--plugins` directory is only reported.
    @Test func explicitPluginMustLoad() async throws {
        let folder = try pluginFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let broken = folder + "/libbroken.so"
        try "not a library".write(toFile: broken, atomically: true, encoding: .utf8)
        let workflow = try plainWorkflow()
        for command in ["run", "validate"] {
            let named = try await Invocation.run([command, workflow, "--plugin", broken], scratch: scratch)
            #expect(named.status == 2, "\(command): \(named.standardError)")
            #expect(named.standardError.contains("error: plugin \(broken): not an ELF file"))
            #expect(named.standardOutput.isEmpty)
            let found = try await Invocation.run([command, workflow, "--plugins", folder], scratch: scratch)
            #expect(found.status == 0, "\(command): \(found.standardError)")
            #expect(found.standardError.contains("warning: plugin \(broken): not an ELF file"))
        }
    }

    /// With vetting on (the default), a plugin whose constructor calls exit(0) is refused by name and the listing still prints.
    @Test func vettingCatchesAnExitingConstructor() async throws {
        let folder = try pluginFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let exiting = try await compilePlugin("libexiting", in: folder, body: "__attribute__((constructor)) static void start(void) { exit(0); }")
        let outcome = try await Invocation.run(["plugins", "--plugin", exiting, "--plugin", plugin("TroupeAuditLog")], scratch: scratch)
        #expect(outcome.status == 1)
        // Under ThreadSanitizer the probe's sanitizer runtime exits 66 at the plugin's exit; the stage is still named.
        let status = dlsym(nil, "__tsan_init") != nil ? "" : " with status 0"
        #expect(outcome.standardOutput.contains("FAILED \(exiting): vetting: the plugin's constructor exited\(status)"))
        #expect(outcome.standardOutput.contains("audit-log 1.0.0  [ready, generation 1]"))
        let unvetted = try await Invocation.run(["plugins", "--plugin", plugin("TroupeAuditLog"), "--plugin-vetting", "off"], scratch: scratch)
        #expect(unvetted.status == 0, "\(unvetted.standardError)")
        let bad = try await Invocation.run(["plugins", "--plugin-time-limit", "0"], scratch: scratch)
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("--plugin-time-limit takes a number of seconds above 0 and at most 600, not \"0\""))
    }

    /// A relative `--plugin` path when the working directory cannot be resolved is an error, not a file under `/`.
    @Test func unresolvableWorkingDirectory() async throws {
        let folder = try pluginFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let executable = try TroupeExecutable.located().path
        let component = String(repeating: "d", count: 200)
        let script =
            "cd '\(folder)' && for i in $(seq 25); do mkdir \(component) && cd \(component) || exit 9; done; "
            + "cp '\(plugin("TroupeAuditLog"))' libaudit.so; exec '\(executable)' plugins --plugin libaudit.so --plugin-vetting off"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        // A file, not a Foundation `Pipe`: its descriptors are not close-on-exec, so a shell node
        // spawned meanwhile by another suite would hold the write end, and reading to the pipe's
        // end would wait for that node (holding a thread of the cooperative pool, too).
        let outputFile = scratch.directory.appendingPathComponent("output")
        try Data().write(to: outputFile)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = FileHandle.nullDevice
        let status = try await process.runToEnd()
        let text = try String(contentsOf: outputFile, encoding: .utf8)
        #expect(status == 1, "\(text)")
        #expect(!text.contains("FAILED /libaudit.so"))
        #expect(text.contains("cannot make the relative path absolute") || text.contains("File name too long"), "\(text)")
        #expect(!text.contains("audit-log 1.0.0"))
    }

    /// Names are restricted, and whatever else a plugin or a file name holds is printed with its control characters escaped.
    @Test func forgedNamesCannotForgeLines() async throws {
        let folder = try pluginFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sidecars = try pluginFolder()
        defer { try? FileManager.default.removeItem(atPath: sidecars) }
        let path = folder + "/libforged.so"
        try FileManager.default.copyItem(atPath: plugin("TroupeFixturePlugin"), toPath: path)
        try JSONWriter.write(["name": "evil\u{1B}[2K\rfake 1.0.0  [ready]\nFAKE"]).write(
            toFile: sidecars + "/libforged.json", atomically: true, encoding: .utf8)
        let weird = folder + "/lib\u{1B}[31mred\nline.so"
        try "x".write(toFile: weird, atomically: true, encoding: .utf8)
        let outcome = try await Invocation.run(["plugins", "--plugins", folder], scratch: scratch, environment: ["TROUPE_FIXTURE_SIDECARS": sidecars])
        #expect(outcome.status == 1)
        #expect(!outcome.standardOutput.contains("\u{1B}"))
        #expect(!outcome.standardOutput.split(separator: "\n").contains { $0.hasPrefix("FAKE") || $0.hasPrefix("line.so") })
        #expect(outcome.standardOutput.contains(#"may hold only A-Z, a-z, 0-9, '.', '_' and '-'"#))
    }

    /// Private copies go to a fresh directory under `TMPDIR`, removed when the tool exits.
    @Test func copiesRemovedAtExit() async throws {
        let temporary = try pluginFolder()
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let outcome = try await Invocation.run(["plugins", "--plugin", plugin("TroupeAuditLog")], scratch: scratch, environment: ["TMPDIR": temporary])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    }
}
