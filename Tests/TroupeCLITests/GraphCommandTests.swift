import Testing

/// `troupe graph` in both formats.
@Suite(.timeLimit(.minutes(1)))
struct GraphCommandTests {
    /// Holds the captured output.
    let scratch: Scratch

    /// Gives each test a fresh directory.
    init() throws { scratch = try Scratch() }

    /// Graphviz output, the default, has every node with its kind and every edge, conditions as labels.
    @Test(arguments: [[], ["--format", "dot"]])
    func dot(_ format: [String]) async throws {
        let outcome = try await Invocation.run(["graph", "Examples/etl.json"] + format, scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let text = outcome.standardOutput
        #expect(text.hasPrefix("digraph \"etl\" {"))
        #expect(text.contains(#""extract" [label="extract\nshell"];"#))
        #expect(text.contains(#""extract" -> "by-region";"#))
        #expect(text.contains(#""top-orders" -> "report";"#))
        #expect(text.contains(#""quality-check" -> "load" [label="/status == \"clean\"", style=dashed];"#))
        #expect(text.contains(#""quality-check" -> "quarantine" [label="/status in [\"dirty\",\"empty\"]", style=dashed];"#))
        #expect(text.components(separatedBy: " -> ").count - 1 == 8)
    }

    /// Mermaid output has every node with its kind and every edge, conditions as labels.
    @Test func mermaid() async throws {
        let outcome = try await Invocation.run(["graph", "Examples/hello.json", "--format", "mermaid"], scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(
            outcome.standardOutput == """
                flowchart LR
                  n0["greet<br/>shell"]
                  n1["boil-water<br/>sleep"]
                  n2["warm-cups<br/>sleep"]
                  n3["serve-tea<br/>shell"]
                  n0 --> n1
                  n0 --> n2
                  n1 --> n3
                  n2 --> n3

                """)
        let etl = try await Invocation.run(["graph", "Examples/etl.json", "--format=mermaid"], scratch: scratch)
        #expect(etl.standardOutput.contains(#"n3 -.->|"/status == #quot;clean#quot;"| n5"#), "\(etl.standardOutput)")
    }

    /// An unknown format is a usage error.
    @Test func unknownFormat() async throws {
        let outcome = try await Invocation.run(["graph", "Examples/etl.json", "--format", "svg"], scratch: scratch)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("unknown format svg"))
    }
}
