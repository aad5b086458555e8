import Foundation
import Testing

@testable import Troupe
@testable import TroupeTesting

@Suite("Stress driver: plugin hot reload while instances run", .timeLimit(.minutes(3)))
struct StressPluginReloadTests {
    let fixtures: PluginFixtures

    init() throws { fixtures = try PluginFixtures() }

    @Test("reloads run while instances do, each is a new generation, and every instance still holds its invariants")
    func reloadsWhileRunning() async throws {
        let stem = "stressreload\(UUID().uuidString.prefix(6))"
        let name = "stress-reload-\(stem)"
        let path = try fixtures.fixture(stem, ["name": .string(name), "version": "1.0.0", "executors": [.string(stem)]])
        let runtime = WorkflowRuntime()
        #expect(await runtime.registry.loadPlugins(files: [path]).isEmpty)
        let definition = WorkflowDefinition(id: "reloading") {
            NodeDefinition("first", kind: stem)
            NodeDefinition("second", kind: stem)
        }
        let workflow = try runtime.prepare(definition)
        let options = StressOptions(instances: 400, concurrency: 16, pauseFraction: 0.05, pluginReloadInterval: .milliseconds(1))
        let report = try await StressRun(runtime: runtime, workflow: workflow, options: options).run()

        #expect(report.violationCount == 0, "\(report.violations) \(report.runViolations)")
        #expect(report.statusCounts[.completed] == 400)
        #expect(report.pluginReloads >= 1, "the first round runs as the instances start")
        let record = try #require(runtime.registry.plugins.first)
        #expect(record.generation == 1 + report.pluginReloads, "every counted reload made a generation")
        // Only the generation cap may stop the reloads of an unchanged, healthy plugin.
        #expect(report.stoppedPluginReloads.allSatisfy { $0.contains("generations loaded") }, "\(report.stoppedPluginReloads)")
        #expect(report.json["pluginReloads"]?["done"] == .integer(report.pluginReloads))
    }

    @Test("without an interval nothing is reloaded")
    func noInterval() async throws {
        let stem = "stillplugin\(UUID().uuidString.prefix(6))"
        let path = try fixtures.fixture(stem, ["name": .string("still-\(stem)"), "version": "1.0.0", "executors": [.string(stem)]])
        let runtime = WorkflowRuntime()
        #expect(await runtime.registry.loadPlugins(files: [path]).isEmpty)
        let workflow = try runtime.prepare(WorkflowDefinition(id: "still") { NodeDefinition("only", kind: stem) })
        let report = try await StressRun(runtime: runtime, workflow: workflow, options: StressOptions(instances: 50, concurrency: 8)).run()
        #expect(report.violationCount == 0)
        #expect(report.pluginReloads == 0 && report.stoppedPluginReloads.isEmpty)
        #expect(runtime.registry.plugins.first?.generation == 1)
    }
}
