import Foundation
import Troupe

// Loads the plugins named on the command line, runs a node of the kind the plugin provides, and
// says how many images of libTroupe.so the process has: the CI script compares the whole output.
let runtime = WorkflowRuntime()
for failure in runtime.registry.loadPlugins(files: Array(CommandLine.arguments.dropFirst())) {
    print("refused: \(failure)")
}
for plugin in runtime.registry.plugins {
    print("loaded: \(plugin.name) \(plugin.version), plugin ABI \(plugin.abi.abiVersion)")
}
if runtime.registry.executorKinds.contains("greet") {
    let workflow = WorkflowDefinition(id: "consumer") { NodeDefinition("hello", kind: "greet") }
    let result = try await runtime.start(workflow, input: ["name": "consumer"]).result
    print("hello: \(result.nodes["hello"]?.output?.stringValue ?? "no output: \(result.nodes["hello"]?.error ?? "no report")")")
}
let maps = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
let images = Set(maps.split(separator: "\n").compactMap { $0.split(separator: " ").last }.filter { $0.hasSuffix("/libTroupe.so") })
print("libTroupe.so images: \(images.count)")
print("host still up")
