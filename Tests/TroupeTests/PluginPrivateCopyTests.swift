import Foundation
import Testing
import Troupe

/// Every generation is mapped from a private copy, so the user's file can be rewritten at will.
@Suite("Plugin private copies: rewriting a loaded plugin's file cannot touch the running code", .timeLimit(.minutes(2)))
struct PluginPrivateCopyTests {
    let fixtures: PluginFixtures

    init() throws { fixtures = try PluginFixtures() }

    /// Rewrites `path` in place, as `cp` does: same inode, truncated, then written.
    private func overwrite(_ path: String, with bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_TRUNC)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        #expect(written == bytes.count)
    }

    /// The mapped file whose name is `name`, from /proc/self/maps.
    private func mapped(_ name: String) throws -> String? {
        let maps = String(decoding: try FileHandle(forReadingAtPath: "/proc/self/maps")?.readToEnd() ?? Data(), as: UTF8.self)
        return maps.split(separator: "\n").compactMap { $0.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init) }
            .first { $0.hasSuffix("/" + name) }
    }

    @Test("cp of other bytes, a truncated copy and the same bytes over a loaded plugin: its interceptor keeps running")
    func rewriteUnderneath() async throws {
        let stem = "rewritten\(UUID().uuidString.prefix(6))"
        let path = try fixtures.fixture(stem, ["name": .string(stem), "executors": [.string(stem)], "interceptors": [.string("stamp-\(stem)")]])
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let runtime = WorkflowRuntime()
        #expect(await runtime.registry.loadPlugins(files: [path]).isEmpty)
        var definition = WorkflowDefinition(id: "rewrite") { NodeDefinition("x", kind: stem) }
        definition.nodes[0].interceptors = [InterceptorReference("stamp-\(stem)")]
        let prepared = try runtime.prepare(definition)
        let other = Array(try Data(contentsOf: URL(fileURLWithPath: PluginFixtures.product("TroupeNoOpPlugin"))))
        for bytes in [other, Array(original.prefix(4_096)), [], original, Array(original.reversed())] {
            try overwrite(path, with: bytes)
            for _ in 0..<3 {
                let result = try await runtime.start(prepared).result
                #expect(result.nodes["x"]?.output?["stampedBy"] == .string("\(stem)@1.0.0"))
                #expect(result.nodes["x"]?.output?["output"]?["plugin"] == .string(stem))
            }
        }
    }

    @Test("copies live in a private directory made with mkdtemp, mode 0700, each copy 0500")
    func privateDirectory() async throws {
        let stem = "private\(UUID().uuidString.prefix(6))"
        let path = try fixtures.fixture(stem, ["name": .string(stem)])
        #expect(await Registry().loadPlugins(files: [path]).isEmpty)
        let copy = try #require(try mapped("lib\(stem).so"))
        #expect(copy != path)
        let directory = ((copy as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        #expect((directory as NSString).lastPathComponent.hasPrefix("troupe-plugins-"))
        #expect((directory as NSString).lastPathComponent != "troupe-plugins-\(getpid())")
        var info = stat()
        #expect(stat(directory, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o700)
        #expect(info.st_uid == geteuid())
        #expect(stat(copy, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o500)
    }

    @Test("a reload maps a new private copy; the old one stays mapped")
    func reloadCopies() async throws {
        let stem = "regenerated\(UUID().uuidString.prefix(6))"
        let path = try fixtures.fixture(stem, ["name": .string(stem), "executors": [.string(stem)]])
        let registry = Registry()
        #expect(await registry.loadPlugins(files: [path]).isEmpty)
        let first = try #require(try mapped("lib\(stem).so"))
        try fixtures.describe(stem, ["name": .string(stem), "version": "2.0.0", "executors": [.string(stem)]])
        try await registry.reload(plugin: stem)
        #expect(registry.plugins.first?.version == SemanticVersion(2, 0, 0))
        let maps = String(decoding: try FileHandle(forReadingAtPath: "/proc/self/maps")?.readToEnd() ?? Data(), as: UTF8.self)
        let copies = Set(maps.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }.filter { $0.hasSuffix("/lib\(stem).so") })
        #expect(copies.count == 2)
        #expect(copies.contains(first))
        #expect(!copies.contains(path))
    }
}
