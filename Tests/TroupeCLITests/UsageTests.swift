import Testing

/// Help, and the command lines the tool must refuse.
@Suite(.timeLimit(.minutes(1)))
struct UsageTests {
    /// Holds the captured output.
    let scratch: Scratch

    /// Gives each test a fresh directory.
    init() throws { scratch = try Scratch() }

    /// Help for the tool and for each command goes to standard output with exit status 0.
    @Test(arguments: [["--help"], ["-h"], ["run", "--help"], ["validate", "-h"], ["graph", "--help"], ["run", "Examples/hello.json", "--help"]])
    func help(_ arguments: [String]) async throws {
        let outcome = try await Invocation.run(arguments, scratch: scratch)
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.hasPrefix("USAGE: troupe"))
        #expect(outcome.standardError.isEmpty)
    }

    /// Unknown commands and options, missing or extra operands, and no command at all are usage errors.
    @Test(arguments: [
        ["frobnicate"], [], ["run"], ["run", "--loud", "Examples/hello.json"], ["validate", "a.json", "b.json"],
        ["run", "Examples/hello.json", "--input"], ["graph", "-x", "Examples/hello.json"],
        ["run", "Examples/hello.json", "--input", "1", "--input", "2"],
    ])
    func usageError(_ arguments: [String]) async throws {
        let outcome = try await Invocation.run(arguments, scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.contains("USAGE: troupe"))
    }
}
