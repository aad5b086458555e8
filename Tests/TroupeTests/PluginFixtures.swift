import Foundation
import ProcessSupport
import Troupe

/// Plugin files for loader tests: the real plugins from the build folder, and copies of the
/// fixture plugin whose identity and faults come from sidecar files.
///
/// Each test's files live under the build folder, not in `/tmp`: the loader refuses plugins below a
/// directory others can write to, sticky or not. The folder goes when the fixtures do; what was
/// loaded stays mapped from the loader's private copies.
final class PluginFixtures: Sendable {
    /// The folder that holds the test bundle and the plugin products built with it.
    static let buildDirectory: String = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().path
    }()

    /// Where the fixture plugin looks for its sidecars in this process.
    static let sidecarDirectory = NSTemporaryDirectory() + "/troupe-fixtures-\(getpid())"

    /// A built plugin product, such as `TroupeAuditLog`.
    static func product(_ name: String) -> String { "\(buildDirectory)/lib\(name).so" }

    /// Whether this build runs under ThreadSanitizer, whose runtime in the probe turns a plugin's
    /// crash or exit into its own report and exit status 66.
    static let underThreadSanitizer = dlsym(nil, "__tsan_init") != nil

    /// The built `troupe` tool, which vets plugins in its probe mode.
    static let probe = "\(buildDirectory)/troupe"

    /// A fresh directory for one test's plugin files.
    let directory: String

    init() throws {
        directory = "\(Self.buildDirectory)/troupe-plugin-tests/\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: Self.buildDirectory + "/troupe-plugin-tests")
        try FileManager.default.createDirectory(atPath: Self.sidecarDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }

    deinit {
        // Tests make directories unreadable or unwritable; give the tree back before removing it.
        if let walker = FileManager.default.enumerator(atPath: directory) {
            for case let entry as String in walker { chmod("\(directory)/\(entry)", 0o755) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Options that vet each plugin with the built `troupe` tool, within `timeLimit`.
    static func vetting(timeLimit: Duration = .seconds(20)) -> PluginLoadOptions {
        PluginLoadOptions(vetting: .probe(executable: probe, timeLimit: timeLimit))
    }

    /// Makes a directory (and those above it, 0755) with `mode`.
    func makeDirectory(_ name: String, mode: mode_t = 0o755) throws -> String {
        let path = "\(directory)/\(name)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        chmod(path, mode)
        return path
    }

    /// The host's ABI record as C initialiser bytes, so that a C plugin passes the ABI check whatever the record holds.
    static var abiRecordInitializer: String {
        withUnsafeBytes(of: PluginABIRecord.current) { bytes in "{" + bytes.map { "0x" + String($0, radix: 16) }.joined(separator: ", ") + "}" }
    }

    /// The C source of a plugin whose ABI function writes the host's record, plus `body` (which may define `troupe_plugin_entry`).
    static func cPlugin(_ body: String) -> String {
        """
        #include <string.h>
        #include <stdlib.h>
        #include <unistd.h>
        #include <signal.h>
        static const unsigned char record[] = \(abiRecordInitializer);
        long troupe_plugin_abi(void *out, long capacity) {
            long size = sizeof record < capacity ? sizeof record : capacity;
            memcpy(out, record, size);
            return size;
        }
        \(body)
        """
    }

    /// Copies the fixture plugin to `lib<stem>.so` in the directory and describes it with `identity`.
    @discardableResult
    func fixture(_ stem: String, _ identity: JSONValue) throws -> String {
        let path = "\(directory)/lib\(stem).so"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: Self.product("TroupeFixturePlugin"), toPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        try describe(stem, identity)
        return path
    }

    /// Rewrites a fixture's sidecar, as a new build of the plugin would change it.
    func describe(_ stem: String, _ identity: JSONValue) throws {
        try JSONWriter.write(identity).write(toFile: "\(Self.sidecarDirectory)/lib\(stem).json", atomically: true, encoding: .utf8)
    }

    /// Writes a file with some content into the directory.
    func file(_ name: String, bytes: [UInt8], mode: Int = 0o644) throws -> String {
        let path = "\(directory)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    /// Compiles a C shared library from source, for files that need symbols the Swift plugins always have.
    func compileC(_ name: String, source: String, flags: [String] = []) async throws -> String {
        let sourcePath = "\(directory)/\(name).c"
        let output = "\(directory)/\(name).so"
        try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-shared", "-fPIC", "-o", output, sourcePath] + flags
        guard try await process.runToEnd() == 0 else { throw CocoaError(.fileWriteUnknown) }
        return output
    }
}
