import Foundation
import Testing

@testable import Troupe

@Suite("The plugin API is one shared library", .timeLimit(.minutes(2)))
struct SharedLibraryTests {
    /// The mapped file that holds `address`, read from /proc/self/maps.
    private func image(of address: UnsafeRawPointer, maps: String) -> String? {
        let target = UInt(bitPattern: address)
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6 else { continue }
            let bounds = fields[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
            if bounds.count == 2, bounds[0] <= target, target < bounds[1] { return String(fields[5]) }
        }
        return nil
    }

    @Test("API type metadata comes from libTroupe.so, and the runtime and the tests see the same copy")
    func oneCopy() throws {
        let fromTests = unsafeBitCast(JSONValue.self as Any.Type, to: UnsafeRawPointer.self)
        let fixture = try #require(dlopen(PluginFixtures.product("TroupeFixturePlugin"), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE))
        let symbol = try #require(dlsym(fixture, "troupe_fixture_json_value_type"))
        let fromPlugin = unsafeBitCast(symbol, to: (@convention(c) () -> UnsafeRawPointer).self)()
        #expect(fromTests == fromPlugin)
        // Discovery in the build folder passes over the API library instead of mapping a second copy.
        let failures = Registry().loadPlugins(directories: [PluginFixtures.buildDirectory])
        #expect(!failures.contains { $0.file.hasSuffix("libTroupePluginAPI.so") }, "\(failures)")
        // procfs files report size 0, so read to the end rather than trusting the size.
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let maps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        let file = try #require(image(of: fromTests, maps: maps))
        #expect(file.hasSuffix("libTroupe.so"), "JSONValue's metadata lives in \(file)")
        let copies = Set(maps.split(separator: "\n").compactMap { $0.split(separator: " ").last }.filter { $0.hasSuffix("libTroupe.so") })
        #expect(copies.count == 1)
    }

    @Test("an interceptor and an error type defined by the tests cast on the runtime's side")
    func castsAcross() async throws {
        struct Marker: NodeInterceptor {
            func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
                throw ExecutionError(type: "FromTests", message: "crossed")
            }
        }
        let runtime = Fixtures.runtime()
        try runtime.registry.register(interceptor: "marker") { _ in Marker() }
        let made = try runtime.registry.makeInterceptor(InterceptorReference("marker"))
        #expect(made is Marker)
        var definition = Fixtures.chain(["a"])
        definition.nodes[0].interceptors = ["marker"]
        definition.nodes[0].retry = RetryPolicy(maximumAttempts: 3, nonRetryableErrorTypes: ["FromTests"])
        let result = try await runtime.start(definition).result
        #expect(result.nodes["a"]?.error == "FromTests: crossed")
        #expect(result.nodes["a"]?.attempts == 1)
    }
}
