import Foundation
import Testing

/// The command line's answers to bad files, bad option values and bad child workflows: each names
/// what is wrong, exits 2, and runs nothing.
@Suite(.timeLimit(.minutes(1)))
struct HostileInputCommandTests {
    /// Holds the fixtures and captured output.
    let scratch: Scratch

    /// Gives each test a fresh directory.
    init() throws { scratch = try Scratch() }

    /// A file given to `--plugins` is "not a directory", not a Foundation error code.
    @Test func pluginsGivenAFile() async throws {
        let file = try scratch.write("not-a-directory", "x")
        let outcome = try await Invocation.run(["validate", "Examples/hello.json", "--plugins", file], scratch: scratch)
        #expect(outcome.standardError.contains("warning: --plugins \(file): not a directory"), "\(outcome.standardError)")
        #expect(!outcome.standardError.contains("NSCocoaErrorDomain"))
        #expect(outcome.status == 0)
    }

    /// A flag given a value says it takes none.
    @Test func flagWithAValue() async throws {
        let outcome = try await Invocation.run(["run", "Examples/hello.json", "--watch-plugins=yes"], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.hasPrefix("troupe run: --watch-plugins takes no value"), "\(outcome.standardError)")
    }

    /// An empty option value is an error, not silently ignored.
    @Test(arguments: [["--plugins="], ["--plugins", ""], ["--plugin="]])
    func emptyOptionValue(_ option: [String]) async throws {
        let outcome = try await Invocation.run(["validate", "Examples/hello.json"] + option, scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("needs a value, not an empty one"), "\(outcome.standardError)")
    }

    /// `--input @file` that cannot be read gives errno's reason.
    @Test func inputFileMissing() async throws {
        let path = "\(scratch.directory.path)/absent.json"
        let outcome = try await Invocation.run(["run", "Examples/hello.json", "--input", "@\(path)"], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("--input: cannot read \(path): No such file or directory"), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }

    /// `--input @file` of binary bytes is "not UTF-8", not an odd character.
    @Test func inputFileBinary() async throws {
        let url = scratch.directory.appendingPathComponent("binary.json")
        try Data([0x7B, 0xFF, 0xFE, 0x00, 0x7D]).write(to: url)
        let outcome = try await Invocation.run(["run", "Examples/hello.json", "--input", "@\(url.path)"], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("--input: \(url.path) is not UTF-8 text"), "\(outcome.standardError)")
    }

    /// An empty top-level key is named `""`, not reported as the whole file.
    @Test func emptyTopLevelKey() async throws {
        let file = try scratch.write("empty-key.json", #"{"": 1, "id": "w", "version": "1.0.0", "nodes": [{"id": "a", "kind": "sleep"}]}"#)
        let outcome = try await Invocation.run(["validate", file], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.hasPrefix(#""": unknown field"#), "\(outcome.standardError)")
    }

    /// A FIFO, `/dev/null` and `/dev/zero` are not regular files; the FIFO is not waited on.
    @Test func notRegularFiles() async throws {
        let fifo = "\(scratch.directory.path)/pipe.json"
        #expect(mkfifo(fifo, 0o600) == 0)
        for (path, kind) in [(fifo, "a FIFO"), ("/dev/null", "a character device"), ("/dev/zero", "a character device")] {
            let outcome = try await Invocation.run(["validate", path], scratch: scratch)
            #expect(outcome.status == 2)
            #expect(outcome.standardError.hasPrefix("\(path): cannot read the file: it is not a regular file (\(kind))"), "\(outcome.standardError)")
        }
    }

    /// `--max-file-size` bounds the file read; a bad value is a usage error.
    @Test func maximumFileSize() async throws {
        let small = try await Invocation.run(["validate", "Examples/hello.json", "--max-file-size", "10"], scratch: scratch)
        #expect(small.status == 2)
        #expect(small.standardError.contains("cannot read the file: it is larger than the limit of 10 bytes"), "\(small.standardError)")
        let enough = try await Invocation.run(["validate", "Examples/hello.json", "--max-file-size=1M"], scratch: scratch)
        #expect(enough.status == 0, "\(enough.standardError)")
        let bad = try await Invocation.run(["validate", "Examples/hello.json", "--max-file-size", "lots"], scratch: scratch)
        #expect(bad.status == 2)
        #expect(bad.standardError.contains("--max-file-size needs a number of bytes"), "\(bad.standardError)")
    }

    /// A number no `Double` holds is malformed JSON with its place.
    @Test func hugeNumber() async throws {
        let file = try scratch.write(
            "huge.json", "{\"id\": \"w\", \"version\": \"1.0.0\",\n \"deadline\": 1e400, \"nodes\": [{\"id\": \"a\", \"kind\": \"sleep\"}]}")
        let outcome = try await Invocation.run(["validate", file], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("\(file): malformed JSON at line 2, column 14: number 1e400 is too large"), "\(outcome.standardError)")
    }

    /// A duration past the maximum is named at its place.
    @Test func hugeTimeout() async throws {
        let file = try scratch.write("timeout.json", #"{"id": "w", "version": "1.0.0", "nodes": [{"id": "a", "kind": "sleep", "timeout": 1e10}]}"#)
        let outcome = try await Invocation.run(["validate", file], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.hasPrefix("nodes[0].timeout: must be at most 1000000000 seconds\n"), "\(outcome.standardError)")
    }

    /// An invalid inline child fails `validate` and `run` with exit 2, and nothing runs.
    @Test func invalidInlineChild() async throws {
        let marker = "\(scratch.directory.path)/ran"
        let file = try scratch.write(
            "parent.json",
            """
            {"id": "parent", "version": "1.0.0",
             "nodes": [{"id": "first", "kind": "shell", "config": {"command": "touch", "arguments": ["\(marker)"]}},
                       {"id": "child", "kind": "workflow",
                        "config": {"definition": {"id": "c", "version": "1.0.0", "nodes": [{"id": "x", "kind": "teleport"}]}}}]}
            """)
        let validate = try await Invocation.run(["validate", file], scratch: scratch)
        #expect(validate.status == 2)
        #expect(validate.standardError.hasPrefix("nodes[1].config.definition.nodes[0].kind: unknown executor \"teleport\""), "\(validate.standardError)")
        let run = try await Invocation.run(["run", file], scratch: scratch)
        #expect(run.status == 2)
        #expect(run.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// A file that includes itself is refused by `validate` and `run` instead of recursing.
    @Test func selfIncludingFile() async throws {
        let path = "\(scratch.directory.path)/loop.json"
        try scratch.write("loop.json", #"{"id": "loop", "version": "1.0.0", "nodes": [{"id": "again", "kind": "workflow", "config": {"path": "\#(path)"}}]}"#)
        for command in ["validate", "run"] {
            let outcome = try await Invocation.run([command, path], scratch: scratch)
            #expect(outcome.status == 2)
            #expect(outcome.standardError.hasPrefix("nodes[0].config.path: "), "\(outcome.standardError)")
            #expect(outcome.standardError.contains("the child workflow includes itself: \(path) → \(path)"), "\(outcome.standardError)")
            #expect(outcome.standardOutput.isEmpty)
        }
    }
}
