import Testing

/// `troupe validate` on valid, invalid, malformed and missing files.
@Suite(.timeLimit(.minutes(1)))
struct ValidateCommandTests {
    /// Holds the fixtures and captured output.
    let scratch: Scratch

    /// Gives each test a fresh directory.
    init() throws { scratch = try Scratch() }

    /// A valid file gets one summary line and exit status 0.
    @Test func validFile() async throws {
        let outcome = try await Invocation.run(["validate", "Examples/etl.json"], scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput == "Examples/etl.json: valid (7 nodes, 8 edges)\n")
    }

    /// Every problem is printed on its own line with its path, and the exit status is 2.
    @Test func everyProblemIsReported() async throws {
        let file = try scratch.write(
            "problems.json",
            """
            {"id": "problems", "version": "1.x",
             "nodes": [{"id": "a", "kind": "shell", "config": {"command": "true"}},
                       {"id": "a", "kind": "teleport"},
                       {"id": "b", "kind": "sleep", "timeout": -1}],
             "edges": [{"from": "a", "to": "ghost"}]}
            """)
        let outcome = try await Invocation.run(["validate", file], scratch: scratch)
        #expect(outcome.status == 2)
        let lines = outcome.standardError.split(separator: "\n").map(String.init)
        for prefix in ["version: ", "nodes[1].id: duplicate node id", "nodes[1].kind: unknown executor", "nodes[2].timeout: ", "edges[0].to: unknown node"] {
            #expect(lines.contains { $0.hasPrefix(prefix) }, "no line starts with \(prefix) in:\n\(outcome.standardError)")
        }
        #expect(lines.last == "\(file): 5 problems")
    }

    /// Malformed JSON is reported with its line and column.
    @Test func malformedJSON() async throws {
        let file = try scratch.write("malformed.json", "{\"id\": \"x\",\n  \"nodes\": [1,,]}")
        let outcome = try await Invocation.run(["validate", file], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("\(file): malformed JSON at line 2, column 15"), "\(outcome.standardError)")
    }

    /// A file that does not exist is invalid input, not a crash.
    @Test func missingFile() async throws {
        let outcome = try await Invocation.run(["validate", "\(scratch.directory.path)/missing.json"], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("missing.json: cannot read the file: No such file or directory"), "\(outcome.standardError)")
    }
}
