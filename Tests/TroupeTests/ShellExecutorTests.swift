import Foundation
import Testing
import Troupe

@Suite("The shell executor", .timeLimit(.minutes(2)))
struct ShellExecutorTests {
    let runtime = WorkflowRuntime()

    private func run(_ config: JSONValue, timeout: Duration? = nil, input: JSONValue = .null) async throws -> NodeReport {
        let definition = WorkflowDefinition(id: "sh", nodes: [NodeDefinition("cmd", kind: "shell", config: config, timeout: timeout)])
        return try await runtime.start(definition, input: input).result.nodes["cmd"]!
    }

    @Test("standard output becomes a string output")
    func text() async throws {
        let report = try await run(["command": "echo", "arguments": ["hello", "world"]])
        #expect(report.status == .completed)
        #expect(report.output == "hello world")
    }

    @Test("standard output that is JSON becomes a JSON output")
    func json() async throws {
        let report = try await run(["script": #"printf '{"n": %d, "ok": true}\n' 42"#])
        #expect(report.output == ["n": 42, "ok": true])
    }

    @Test("environment, working directory and the node's input on standard input")
    func environmentAndInput() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try await run(
            [
                "script": #"printf '%s|%s|%s|' "$GREETING" "$TROUPE_NODE_ID" "$(basename "$PWD")"; cat"#,
                "environment": ["GREETING": "hi"], "workingDirectory": .string(directory.path), "stdin": "input",
            ], input: ["x": 1])
        #expect(report.output == .string(#"hi|cmd|\#(directory.lastPathComponent)|{"input":{"x":1},"upstream":{}}"#))
    }

    @Test("a non-zero exit fails the node with the exit code and the tail of standard error")
    func nonZeroExit() async throws {
        let report = try await run(["script": "echo partial; echo 'something broke' >&2; exit 3"])
        #expect(report.status == .failed)
        #expect(report.error == "ShellExit: script exited with status 3: something broke")
    }

    @Test("a command that does not exist fails clearly")
    func missingCommand() async throws {
        let report = try await run(["command": .string("troupe-no-such-command-\(UUID().uuidString)")])
        #expect(report.status == .failed)
        #expect(report.error?.contains("No such file or directory") == true)
    }

    @Test("bad configuration fails the node with a message naming it")
    func badConfig() async throws {
        let report = try await run(["command": "echo", "script": "echo"])
        #expect(report.error == "InvalidConfig: shell node cmd: config needs exactly one of 'command' (a string) or 'script' (a string)")
    }
}

@Suite("Shell nodes in parallel", .timeLimit(.minutes(2)))
struct ShellParallelTests {
    @Test("eight shell nodes run at once: each waits until all eight have started, which in turn would never happen")
    func parallelShell() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-barrier-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let barrier = """
            touch "$BARRIER/$TROUPE_NODE_ID"
            for attempt in $(seq 600); do
              [ "$(ls "$BARRIER" | wc -l)" -ge 8 ] && exit 0
              sleep 0.05
            done
            echo "only $(ls "$BARRIER" | wc -l) of 8 started" >&2
            exit 1
            """
        let runtime = WorkflowRuntime()
        let definition = WorkflowDefinition(id: "p") {
            for index in 0..<8 {
                NodeDefinition("s\(index)", kind: "shell", config: ["script": .string(barrier), "environment": ["BARRIER": .string(directory)]])
            }
        }
        let result = try await runtime.start(definition).result
        #expect(result.status == .completed, "\(result.nodes.values.compactMap(\.error))")
    }
}
