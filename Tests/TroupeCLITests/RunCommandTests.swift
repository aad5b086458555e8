import Foundation
import Testing
import Troupe

/// `troupe run` on the examples and on fixtures written by the tests.
@Suite(.timeLimit(.minutes(1)))
struct RunCommandTests {
    /// Holds the fixtures and captured output.
    let scratch: Scratch

    /// Gives each test a fresh directory.
    init() throws { scratch = try Scratch() }

    /// The README's main job completes and prints every node's report.
    @Test func helloCompletes() async throws {
        let outcome = try await Invocation.run(["run", "Examples/hello.json"], scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let json = try #require(outcome.json, "stdout is not JSON: \(outcome.standardOutput)")
        #expect(json["status"] == "completed")
        #expect(json["workflow"] == "hello")
        #expect(json["instance"]?.stringValue?.isEmpty == false)
        #expect(json["duration"]?.doubleValue != nil)
        #expect(json["error"] == nil)
        for node in ["greet", "boil-water", "warm-cups", "serve-tea"] {
            #expect(outcome.nodeStatus(node) == "completed")
            #expect(json["nodes"]?[node]?["attempts"] == 1)
        }
        #expect(json["nodes"]?["greet"]?["output"]?["greeting"] == "Hello, world!")
        #expect(outcome.standardError.contains("▶ greet"))
        #expect(outcome.standardError.contains("✔ serve-tea"))
    }

    /// The ETL pipeline completes, loads its report, and skips the quarantine branch.
    @Test func etlSkipsTheQuarantineBranch() async throws {
        let outcome = try await Invocation.run(["run", "Examples/etl.json"], scratch: scratch)
        let directory = outcome.json?["nodes"]?["extract"]?["output"]?["directory"]?.stringValue
        defer { if let directory { try? FileManager.default.removeItem(atPath: directory) } }
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.json?["status"] == "completed")
        for node in ["extract", "by-region", "top-orders", "quality-check", "report", "load"] {
            #expect(outcome.nodeStatus(node) == "completed", "\(node)")
        }
        #expect(outcome.nodeStatus("quarantine") == "skipped")
        #expect(outcome.json?["nodes"]?["quality-check"]?["output"]?["status"] == "clean")
        #expect(outcome.json?["nodes"]?["by-region"]?["output"]?.objectValue?.keys.sorted() == ["east", "north", "south", "west"])
        #expect(outcome.standardError.contains("↷ quarantine skipped"))
    }

    /// A failing node fails the run with exit status 1, and the result says why.
    @Test func failingWorkflowExitsOne() async throws {
        let file = try scratch.write(
            "fail.json",
            """
            {"id": "fail", "version": "1.0.0",
             "nodes": [{"id": "boom", "kind": "shell", "config": {"script": "echo broken >&2; exit 3"}},
                       {"id": "after", "kind": "sleep", "config": {"seconds": 0}}],
             "edges": [{"from": "boom", "to": "after"}]}
            """)
        let outcome = try await Invocation.run(["run", file], scratch: scratch)
        #expect(outcome.status == 1)
        #expect(outcome.json?["status"] == "failed")
        #expect(outcome.json?["error"]?.stringValue?.contains("boom") == true)
        #expect(outcome.nodeStatus("boom") == "failed")
        #expect(outcome.json?["nodes"]?["boom"]?["error"]?.stringValue?.contains("status 3") == true)
        #expect(outcome.nodeStatus("after") == "skipped")
        #expect(outcome.standardError.contains("✖ boom failed"))
    }

    /// `--input @file` reads the input from a file and hands it to the nodes.
    @Test func inputFromFile() async throws {
        let workflow = try scratch.write(
            "echo.json",
            """
            {"id": "echo", "version": "1.0.0", "nodes": [{"id": "echo", "kind": "shell", "config": {"command": "cat", "stdin": "input"}}]}
            """)
        let input = try scratch.write("input.json", #"{"name": "Ada", "tags": [1, 2]}"#)
        let outcome = try await Invocation.run(["run", workflow, "--input", "@\(input)"], scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.json?["nodes"]?["echo"]?["output"]?["input"] == ["name": "Ada", "tags": [1, 2]])
    }

    /// `--input JSON` (also as `--input=JSON`) passes the value as the workflow input.
    @Test(arguments: [["--input", #"{"n": 7}"#], [#"--input={"n": 7}"#]])
    func inlineInput(_ option: [String]) async throws {
        let workflow = try scratch.write(
            "echo.json",
            """
            {"id": "echo", "version": "1.0.0", "nodes": [{"id": "echo", "kind": "shell", "config": {"command": "cat", "stdin": "input"}}]}
            """)
        let outcome = try await Invocation.run(["run", workflow] + option, scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.json?["nodes"]?["echo"]?["output"]?["input"] == ["n": 7])
    }

    /// Malformed `--input` JSON, inline or in a file, and a missing input file are invalid input: nothing runs.
    @Test func badInputExitsTwo() async throws {
        let malformed = try scratch.write("bad-input.json", "{\n  \"a\": tru\n}")
        let cases: [(option: String, message: String)] = [
            (#"{"a": "#, "--input: malformed JSON at line 1, column 7"),
            ("@\(malformed)", "\(malformed): malformed JSON at line 2, column 8"),
            ("@\(scratch.directory.path)/missing.json", "--input: cannot read"),
        ]
        for (option, message) in cases {
            let outcome = try await Invocation.run(["run", "Examples/hello.json", "--input", option], scratch: scratch)
            #expect(outcome.status == 2, "\(option)")
            #expect(outcome.standardOutput.isEmpty)
            #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
            #expect(!outcome.standardError.contains("▶"), "a node ran despite the bad input")
        }
    }

    /// A workflow with validation problems does not run and exits 2 with the problems.
    @Test func invalidWorkflowExitsTwo() async throws {
        let file = try scratch.write(
            "invalid.json",
            """
            {"id": "x", "version": "1.0.0", "nodes": [{"id": "a", "kind": "teleport"}]}
            """)
        let outcome = try await Invocation.run(["run", file], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.contains("nodes[0].kind: unknown executor"), "\(outcome.standardError)")
    }
}
