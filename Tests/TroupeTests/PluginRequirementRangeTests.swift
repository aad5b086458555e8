import Foundation
import Testing
import Troupe

/// A plugin whose requirement names a version range at `Int.max` is refused with a reason; the host lives.
@Suite("Plugin requirement ranges", .timeLimit(.minutes(1)))
struct PluginRequirementRangeTests {
    @Test("a requirement bounded by Int.max is an invalid range, and the other plugins load")
    func intMaxRequirement() throws {
        let fixtures = try PluginFixtures()
        let registry = Registry()
        let s = UUID().uuidString.prefix(6)
        let base = try fixtures.fixture("base\(s)", ["name": "base\(s)", "version": "1.4.0"])
        let greedy = try fixtures.fixture("greedy\(s)", ["name": "greedy\(s)", "requires": [["name": "base\(s)", "versions": "^9223372036854775807"]]])
        let failures = registry.loadPlugins(files: [greedy, base])
        #expect(registry.plugins.map(\.name) == ["base\(s)"])
        #expect(
            failures.map(\.reason) == [
                "requires base\(s) with invalid version range \"^9223372036854775807\": \"^9223372036854775807\" has no upper bound (9223372036854775807 is the largest number a version may have)"
            ])
    }
}
