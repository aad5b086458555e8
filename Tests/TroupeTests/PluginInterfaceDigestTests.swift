import Foundation
import ProcessSupport
import Testing
import Troupe

/// The check that makes an ABI version bump impossible to forget: the plugin API's public interface,
/// as the compiler prints it, must have the digest recorded for the current version.
@Suite("The plugin API's public interface matches the digest recorded for its ABI version", .timeLimit(.minutes(3)))
struct PluginInterfaceDigestTests {
    /// The repository root, above Tests/TroupeTests (Development/Tests is a link to Tests).
    private static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let apiSources = repositoryRoot.appendingPathComponent("Sources/TroupePluginAPI/Sources/TroupePluginAPI")
    private static let ledgerPath = apiSources.appendingPathComponent("Plugins/InterfaceDigests.txt").path

    /// Runs `arguments` through `/usr/bin/env`, its standard input from `input` and its output into `output`; returns its status.
    private func run(_ arguments: [String], input: String? = nil, output: String) async throws -> Int32 {
        try Data().write(to: URL(fileURLWithPath: output))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = process.standardOutput
        if let input {
            let inputPath = output + ".in"
            try input.write(toFile: inputPath, atomically: true, encoding: .utf8)
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        }
        return try await process.runToEnd()
    }

    /// The module's `.swiftinterface` without its header comments (compiler version, flags) and blank lines.
    private func normalizedInterface(in directory: String) async throws -> String {
        let sources = try FileManager.default.subpathsOfDirectory(atPath: Self.apiSources.path)
            .filter { $0.hasSuffix(".swift") }.sorted().map { Self.apiSources.appendingPathComponent($0).path }
        let interface = directory + "/TroupePluginAPI.swiftinterface"
        let status = try await run(
            [
                "swiftc", "-parse-as-library", "-swift-version", "6", "-enable-library-evolution", "-module-name", "TroupePluginAPI",
                "-emit-module", "-emit-module-path", directory + "/TroupePluginAPI.swiftmodule", "-emit-module-interface-path", interface,
            ]
                + sources,
            output: directory + "/swiftc.log")
        let log = (try? String(contentsOfFile: directory + "/swiftc.log", encoding: .utf8)) ?? ""
        try #require(status == 0, "swiftc could not emit the interface:\n\(log)")
        return try String(contentsOfFile: interface, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.reversed().drop(while: \.isWhitespace).reversed() }
            .map { String($0) }
            .filter { !$0.isEmpty && !$0.hasPrefix("//") }
            .joined(separator: "\n") + "\n"
    }

    @Test("InterfaceDigests.txt ends with the current ABI version and the current interface's digest")
    func digestIsRecorded() async throws {
        let directory = NSTemporaryDirectory() + "/troupe-interface-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let interface = try await normalizedInterface(in: directory)
        #expect(try await run(["sha256sum"], input: interface, output: directory + "/digest") == 0)
        let digest = String(try String(contentsOfFile: directory + "/digest", encoding: .utf8).prefix(while: \.isHexDigit))
        try #require(digest.count == 64)

        let entries = try String(contentsOfFile: Self.ledgerPath, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.allSatisfy(\.isWhitespace) }
            .map { $0.split(separator: " ").map(String.init) }
        let versions = entries.compactMap { fields in fields.first.flatMap { SemanticVersion($0 + ".0") } }
        try #require(versions.count == entries.count && entries.allSatisfy { $0.count == 2 }, "InterfaceDigests.txt: each line is `MAJOR.MINOR DIGEST`")
        #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 }, "InterfaceDigests.txt: versions must increase, one line each")
        let current = "\(PluginABI.major).\(PluginABI.minor)"
        let last = try #require(entries.last, "InterfaceDigests.txt has no entries")
        #expect(
            last == [current, digest],
            """
            The public interface of TroupePluginAPI is not the one recorded for plugin ABI \(current): \
            InterfaceDigests.txt ends with `\(last.joined(separator: " "))`, the interface now has digest \(digest). \
            Plugins built before this change would run against it unchecked. Bump PluginABI.minor if the change only adds \
            (a new type, a requirement with a default, a field of a resilient struct), or PluginABI.major (minor back to 0) \
            for anything else, including any change to a @frozen type or an inlinable body \
            (`swift package diagnose-api-breaking-changes <last release tag> --products Troupe`, run at the repository root, \
            tells additions from breaks); \
            then append `<new version> \(digest)` to \(Self.ledgerPath). \
            Only a line that never shipped in a release may be edited instead.
            """)
    }
}
