import Foundation
import Testing
import Troupe

@Suite("Plugins at work: the real plugins, and hot reload", .timeLimit(.minutes(2)))
struct PluginRuntimeTests {
    let fixtures: PluginFixtures

    init() throws { fixtures = try PluginFixtures() }

    @Test("the audit-log interceptor and the files executor from .so files run in a workflow")
    func realPlugins() async throws {
        let runtime = WorkflowRuntime()
        let failures = await runtime.registry.loadPlugins(
            files: [PluginFixtures.product("TroupeAuditLog"), PluginFixtures.product("TroupeFileOperations")],
            options: PluginLoadOptions(configurations: ["file-operations": ["root": .string(fixtures.directory)]]))
        #expect(failures.isEmpty, "\(failures)")
        #expect(runtime.registry.plugins.map(\.name) == ["audit-log", "file-operations"])
        let audit = fixtures.directory + "/audit.jsonl"
        let workflow = WorkflowDefinition(id: "files", interceptors: [InterceptorReference("audit", config: ["path": .string(audit)])]) {
            NodeDefinition("write", kind: "files", config: ["operation": "write", "path": "data.txt", "content": "hello plugins"])
            NodeDefinition("hash", kind: "files", config: ["operation": "sha256", "path": "data.txt"])
            NodeDefinition("read", kind: "files", config: ["operation": "read", "path": "data.txt"])
            NodeDefinition("escape", kind: "files", config: ["operation": "read", "path": "../../etc/passwd"])
            EdgeDefinition.chain("write", "hash", "read")
            EdgeDefinition(from: "write", to: "escape")
        }
        let result = try await runtime.start(workflow).result
        #expect(result.nodes["read"]?.output?["content"] == "hello plugins")
        #expect(result.nodes["hash"]?.output?["sha256"] == .string(SHA256.hash(Array("hello plugins".utf8))))
        #expect(result.nodes["escape"]?.status == .failed)
        #expect(result.nodes["escape"]?.error?.contains("leaves the root") == true)
        let lines = try String(contentsOfFile: audit, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(lines.count == 4)
        #expect(Set(lines.compactMap { $0["node"]?.stringValue }) == ["write", "hash", "read", "escape"])
        #expect(lines.first { $0["node"] == "escape" }?["status"] == "failed")
        #expect(
            lines.allSatisfy {
                $0["instance"] == .string(result.instanceID.description) && $0["attempt"] == 1 && $0["durationMicroseconds"]?.integerValue != nil
            })
    }

    @Test("concurrent node calls append whole audit lines")
    func auditUnderConcurrency() async throws {
        let runtime = WorkflowRuntime()
        #expect(await runtime.registry.loadPlugins(files: [PluginFixtures.product("TroupeAuditLog")]).isEmpty)
        try runtime.register(kind: "nap") { _ in
            try await Task.sleep(for: .microseconds(Int.random(in: 0...300)))
            return "ok"
        }
        let audit = fixtures.directory + "/busy.jsonl"
        var definition = Fixtures.diamond(branches: 8, kind: "nap")
        definition.nodes = definition.nodes.map { NodeDefinition($0.id, kind: "nap") }
        definition.interceptors = [InterceptorReference("audit", config: ["path": .string(audit)])]
        let prepared = try runtime.prepare(definition)
        let handles = (0..<100).map { _ in runtime.start(prepared) }
        for handle in handles { #expect(try await handle.result.status == .completed) }
        let lines = try String(contentsOfFile: audit, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1_000)
        #expect(lines.allSatisfy { (try? JSONParser.parse(String($0)))?["status"] == "completed" })
    }

    @Test("hot reload while 1,000 instances run: none fails, both versions are seen, the old one retires")
    func hotReload() async throws {
        let stem = "reloadable\(UUID().uuidString.prefix(6))"
        let name = "reloadable-\(stem)"
        let path = try fixtures.fixture(stem, ["name": .string(name), "version": "1.0.0", "executors": [.string(stem)]])
        let runtime = WorkflowRuntime()
        #expect(await runtime.registry.loadPlugins(files: [path]).isEmpty)
        let lifecycle = runtime.registry.pluginEvents()
        let release = fixtures.directory + "/release"
        let definition = WorkflowDefinition(id: "reload") {
            NodeDefinition("work", kind: stem, config: ["untilFileExists": .string(release)])
        }
        var versions: [String: Int] = [:]
        do {
            let before = try runtime.prepare(definition)
            let running = (0..<1_000).map { _ in runtime.start(before) }

            try fixtures.describe(stem, ["name": .string(name), "version": "2.0.0", "executors": [.string(stem)]])
            try await runtime.registry.reload(plugin: name)
            let record = try #require(runtime.registry.plugins.first)
            #expect(record.version == SemanticVersion(2, 0, 0))
            #expect(record.generation == 2)
            #expect(record.olderGenerations[1] == .draining)

            let prepared = try runtime.prepare(definition)
            let after = (0..<100).map { _ in runtime.start(prepared) }
            #expect(FileManager.default.createFile(atPath: release, contents: Data()))
            for handle in running + after {
                let result = try await handle.result
                #expect(result.status == .completed)
                if let version = result.nodes["work"]?.output?["version"]?.stringValue { versions[version, default: 0] += 1 }
            }
            // A workflow prepared before the reload can still start instances on generation 1: not retired yet.
            #expect(runtime.registry.plugins.first?.olderGenerations[1] == .draining)
            let late = try await runtime.start(before).result
            #expect(late.nodes["work"]?.output?["version"] == "1.0.0")
        }
        #expect(versions == ["1.0.0": 1_000, "2.0.0": 100])
        var steps: [String] = []
        for await event in lifecycle {
            steps.append("\(event.generation):\(event.status.rawValue)")
            if event.generation == 1 && event.status == .retired { break }
        }
        #expect(steps == ["1:loaded", "1:configured", "1:ready", "2:loaded", "2:configured", "2:ready", "1:draining", "1:retired"])
        #expect(runtime.registry.plugins.first?.olderGenerations[1] == .retired, "retired once the workflows prepared on it were released")
    }

    @Test("a failed reload leaves the old version serving; the generation cap is enforced")
    func failedReload() async throws {
        let stem = "fragile\(UUID().uuidString.prefix(6))"
        let name = "fragile-\(stem)"
        let path = try fixtures.fixture(stem, ["name": .string(name), "executors": [.string(stem)]])
        let runtime = WorkflowRuntime()
        #expect(await runtime.registry.loadPlugins(files: [path], options: PluginLoadOptions(maximumGenerations: 2)).isEmpty)
        try fixtures.describe(stem, ["name": .string(name), "version": "1.1.0", "executors": [.string(stem)], "configureError": "broken build"])
        let error = await #expect(throws: PluginFailure.self) { try await runtime.registry.reload(plugin: name) }
        #expect(error?.reason.contains("broken build") == true)
        let definition = WorkflowDefinition(id: "f") { NodeDefinition("x", kind: stem) }
        #expect(try await runtime.start(definition).result.nodes["x"]?.output?["version"] == "1.0.0")

        try fixtures.describe(stem, ["name": .string(name), "version": "1.2.0", "executors": [.string(stem)]])
        try await runtime.registry.reload(plugin: name)
        #expect(try await runtime.start(definition).result.nodes["x"]?.output?["version"] == "1.2.0")
        let capped = await #expect(throws: PluginFailure.self) { try await runtime.registry.reload(plugin: name) }
        #expect(capped?.reason.contains("the most allowed") == true)
        await #expect(throws: PluginFailure.self) { try await runtime.registry.reload(plugin: "no-such-plugin") }
    }
}
