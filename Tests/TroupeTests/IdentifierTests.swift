import Testing
import Troupe

/// Ids, keys and version ranges that once collided, merged or trapped.
@Suite("Identifiers and version ranges", .timeLimit(.minutes(1)))
struct IdentifierTests {
    private let registry = Fixtures.runtime().registry

    private func issues(_ definition: WorkflowDefinition) -> [String] {
        definition.validationIssues(against: registry).map(\.description)
    }

    @Test(
        "version ranges with an Int.max component are invalid ranges, not traps",
        arguments: [
            "9223372036854775807", "^0.0.9223372036854775807", "~1.9223372036854775807.0", "^9223372036854775807",
            "1.9223372036854775807", "~9223372036854775807", "^0.9223372036854775807", "1.9223372036854775807.x",
        ])
    func intMaxRanges(range: String) {
        #expect(throws: VersionRangeError.self) { try VersionRange(range) }
    }

    @Test("a node kind pinned to such a range is reported at its place")
    func intMaxKind() {
        for kind in ["sleep@9223372036854775807", "sleep@^0.0.9223372036854775807", "retry@~1.9223372036854775807.0"] {
            let found = issues(WorkflowDefinition(id: "w", nodes: [NodeDefinition("a", kind: kind)]))
            #expect(found.count == 1)
            #expect(found.first?.hasPrefix("nodes[0].kind: \"\(kind)\": invalid version range") == true, "\(found)")
        }
    }

    @Test("a sign is not a version number")
    func signedNumbers() {
        #expect(throws: VersionRangeError.self) { try VersionRange("^+1") }
    }

    @Test("edges whose ends hold NUL do not collide")
    func nulInEdgeEnds() {
        var definition = WorkflowDefinition(id: "w", nodes: ["a\u{0}b", "c", "a", "b\u{0}c"].map { NodeDefinition($0, kind: "echo") })
        definition.edges = [EdgeDefinition(from: "a\u{0}b", to: "c"), EdgeDefinition(from: "a", to: "b\u{0}c")]
        let found = issues(definition)
        #expect(!found.contains { $0.contains("duplicate edge") }, "\(found)")
        #expect(found.contains(#"nodes[0].id: "a\u{0}b" contains the control character U+0000"#), "\(found)")
    }

    @Test("control characters in ids are refused and never printed raw")
    func controlCharacters() {
        let definition = WorkflowDefinition(
            id: "w\u{1B}[2J", nodes: [NodeDefinition("evil\u{1B}[31m\nforged", kind: "echo"), NodeDefinition("rtl\u{202E}", kind: "echo\u{7}")])
        let found = issues(definition)
        #expect(found.contains(#"id: "w\u{1B}[2J" contains the control character U+001B"#), "\(found)")
        #expect(found.contains(#"nodes[0].id: "evil\u{1B}[31m\u{A}forged" contains the control character U+001B"#), "\(found)")
        #expect(found.contains(#"nodes[1].id: "rtl\u{202E}" contains the control character U+202E"#), "\(found)")
        #expect(found.contains(#"nodes[1].kind: "echo\u{7}" contains the control character U+0007"#), "\(found)")
        #expect(!found.joined().unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test("canonically equivalent but distinct ids are reported as such, with their code points")
    func canonicallyEquivalentIDs() throws {
        let definition = WorkflowDefinition(id: "w", nodes: [NodeDefinition("caf\u{E9}", kind: "echo"), NodeDefinition("cafe\u{301}", kind: "echo")])
        let found = issues(definition)
        #expect(
            found == [
                #"nodes[1].id: node id "cafe\u{301}" is canonically equivalent to "caf\u{E9}" (nodes[0]) but not the same text: write both the same way, or make them differ"#
            ])
        #expect(throws: WorkflowValidationError.self) { try Fixtures.runtime().prepare(definition) }
    }

    @Test("an edge names its node by code points, not by canonical equivalence")
    func edgesCompareCodePoints() {
        let definition = WorkflowDefinition(
            id: "w", nodes: [NodeDefinition("a", kind: "echo"), NodeDefinition("cafe\u{301}", kind: "echo")],
            edges: [EdgeDefinition(from: "a", to: "caf\u{E9}")])
        #expect(issues(definition).contains("edges[0].to: unknown node \"caf\u{E9}\""))
    }

    @Test("an empty key is named, not taken for the whole file")
    func emptyKey() {
        #expect(
            throws: WorkflowValidationError(issues: [
                ValidationIssue(
                    path: "\"\"", message: "unknown field (expected one of: deadline, description, edges, id, interceptors, name, nodes, strategy, version)")
            ])
        ) {
            try WorkflowDefinition(json: #"{"": 1, "id": "w", "version": "1.0.0", "nodes": [{"id": "a", "kind": "echo"}]}"#)
        }
    }
}
