import Foundation
import Troupe

/// Plugin files for loader tests: the real plugins from the build folder, and copies of the
/// fixture plugin whose identity and faults come from sidecar files.
struct PluginFixtures {
    /// The folder that holds the test bundle and the plugin products built with it.
    static let buildDirectory: String = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().path
    }()

    /// Where the fixture plugin looks for its sidecars in this process.
    static let sidecarDirectory = NSTemporaryDirectory() + "/troupe-fixtures-\(getpid())"

    /// A built plugin product, such as `TroupeAuditLog`.
    static func product(_ name: String) -> String { "\(buildDirectory)/lib\(name).so" }

    /// A fresh directory for one test's plugin files.
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-plugin-test-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.createDirectory(atPath: Self.sidecarDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
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
    func compileC(_ name: String, source: String) async throws -> String {
        let sourcePath = "\(directory)/\(name).c"
        let output = "\(directory)/\(name).so"
        try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-shared", "-fPIC", "-o", output, sourcePath]
        let (exit, finished) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in finished.finish() }
        try process.run()
        for await _ in exit {}
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return output
    }
}
