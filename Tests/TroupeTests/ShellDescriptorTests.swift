import Foundation
import Testing
import Troupe
import TroupeTesting

/// Shell nodes running side by side: no process holds another node's pipes, so each node ends
/// when its own process does.
@Suite("Shell nodes' descriptors", .timeLimit(.minutes(1)))
struct ShellDescriptorTests {
    /// Eight of each, because a process inherited a pipe only when it was spawned in the instant
    /// another node's pipe was open in the runtime; with eight pairs that happened in every run.
    static let pairs = 8

    @Test("a fast node completes while the nodes beside it are still blocked")
    func fastBesideBlocked() async throws {
        let gate = try NamedPipe()
        let definition = WorkflowDefinition(id: "side-by-side") {
            for index in 0..<Self.pairs {
                NodeDefinition("fast\(index)", kind: "shell", config: ["command": "echo", "arguments": ["fast"]])
                NodeDefinition(
                    "blocked\(index)", kind: "shell",
                    config: ["script": #"read line < "$GATE"; echo released"#, "environment": ["GATE": .string(gate.path)]])
            }
        }
        let handle = try await WorkflowRuntime().start(definition)
        var fastCompleted: Set<String> = []
        var blockedCompleted: Set<String> = []
        // Had a blocked process inherited a fast node's pipe, that node's completion would wait for
        // the gate, and the gate for it: past the time limit, the gate opens so the test can fail.
        await withTaskCancellationHandler {
            for await event in handle.events {
                guard case .nodeCompleted(let node, _) = event.kind else { continue }
                if node.hasPrefix("fast") {
                    #expect(blockedCompleted.isEmpty, "\(node) completed only after the blocked nodes were released")
                    fastCompleted.insert(node)
                    if fastCompleted.count == Self.pairs { gate.send(lines: Self.pairs) }
                } else {
                    blockedCompleted.insert(node)
                }
            }
        } onCancel: {
            gate.send(lines: Self.pairs)
        }
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.nodes.values.compactMap(\.error))")
        #expect(fastCompleted.count == Self.pairs)
        #expect(result.nodes["fast0"]?.output == "fast")
        #expect(result.nodes["blocked0"]?.output == "released")
    }

    @Test("a process inherits no descriptor the host opened without close-on-exec")
    func noHostDescriptors() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-inherited-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Without O_CLOEXEC, as a Foundation Pipe or a host's socket is: a plain spawn would pass it on.
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor > 2)
        defer { close(descriptor) }
        let definition = WorkflowDefinition(
            id: "inherit", nodes: [NodeDefinition("probe", kind: "shell", config: ["script": #"for fd in /proc/$$/fd/*; do readlink "$fd" || true; done"#])])
        let result = try await WorkflowRuntime().start(definition).result
        let links = try #require(result.nodes["probe"]?.output?.stringValue)
        #expect(!links.contains(path), "\(links)")
    }

    @Test("a process holds no descriptor of another node's pipes, even while they are open")
    func noInheritedPipes() async throws {
        let gate = try NamedPipe()
        let ready = try NamedPipe()
        let environment: JSONValue = ["GATE": .string(gate.path), "READY": .string(ready.path)]
        // `hold` names its pipes and blocks; `probe` is spawned after that (through `ready`), while
        // the runtime holds `hold`'s pipes open, and names every descriptor it has.
        let definition = WorkflowDefinition(id: "probe") {
            NodeDefinition(
                "hold", kind: "shell",
                config: [
                    "script": #"echo "$(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2)" > "$READY"; read line < "$GATE""#,
                    "environment": environment,
                ])
            NodeDefinition("ready", kind: "shell", config: ["script": #"read line < "$READY"; echo "$line""#, "environment": environment])
            NodeDefinition(
                "probe", kind: "shell",
                config: ["script": #"for fd in /proc/$$/fd/*; do readlink "$fd" || true; done"#, "stdin": ["text": "some input"]])
            EdgeDefinition(from: "ready", to: "probe")
        }
        let handle = try await WorkflowRuntime().start(definition)
        for await event in handle.events {
            switch event.kind {
            case .nodeCompleted("probe", _), .nodeFailed("probe", _, _): gate.send(lines: 1)
            default: break
            }
        }
        let result = try await handle.result
        #expect(result.status == .completed, "\(result.nodes.values.compactMap(\.error))")
        let holdPipes = Set(try #require(result.nodes["ready"]?.output?.stringValue).split(separator: " ").map(String.init))
        let probeDescriptors = try #require(result.nodes["probe"]?.output?.stringValue).split(separator: "\n").map(String.init)
        #expect(holdPipes.count == 2 && holdPipes.allSatisfy { $0.hasPrefix("pipe:[") }, "\(holdPipes)")
        #expect(holdPipes.isDisjoint(with: probeDescriptors), "probe inherited hold's pipes: \(probeDescriptors)")
        #expect(probeDescriptors.first?.hasPrefix("/memfd:troupe-stdin") == true, "\(probeDescriptors)")
    }

    @Test("outputs larger than the pipes are read whole, standard error and output alike")
    func largeOutputs() async throws {
        let script = """
            head -c 1500000 /dev/zero | tr '\\0' e >&2
            head -c 2097152 /dev/zero | tr '\\0' x
            head -c 1500000 /dev/zero | tr '\\0' e >&2
            """
        let definition = WorkflowDefinition(id: "large") {
            NodeDefinition("large", kind: "shell", config: ["script": .string(script)])
            NodeDefinition("failing", kind: "shell", config: ["script": .string(script + "\nexit 4")])
        }
        let result = try await WorkflowRuntime().start(definition).result
        let output = try #require(result.nodes["large"]?.output?.stringValue)
        #expect(output.utf8.count == 2_097_152)
        #expect(output.utf8.allSatisfy { $0 == UInt8(ascii: "x") })
        let error = try #require(result.nodes["failing"]?.error)
        #expect(error.hasPrefix("ShellExit: script exited with status 4: eeee"))
        #expect(error.hasSuffix(String(repeating: "e", count: 1_000)))
    }
}
