import Foundation
import Testing
import Troupe

/// Every input the fuzzer ever crashed on (`Tests/Fuzz/regressions/`), and the seed corpus, go
/// through the fuzz target's steps: read, validate, prepare, and the `jsonText()` round trip.
@Suite("Fuzz regressions", .timeLimit(.minutes(1)))
struct FuzzRegressionTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(in folder: String) -> [String] {
        let directory = fuzzDirectory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    @Test("the folders are there")
    func foldersExist() {
        #expect(!Self.inputs(in: "corpus").isEmpty)
        #expect(!Self.inputs(in: "regressions").isEmpty)
    }

    @Test("each input ends in a value or an error and round-trips", arguments: inputs(in: "regressions") + inputs(in: "corpus"))
    func replay(path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        if let value = try? JSONParser.parse(text) {
            #expect(try JSONParser.parse(JSONWriter.write(value)) == value)
        }
        guard let definition = try? WorkflowDefinition(json: text) else { return }
        let runtime = WorkflowRuntime()
        _ = definition.validationIssues(against: runtime.registry)
        _ = try? runtime.prepare(definition)
        #expect(try WorkflowDefinition(json: definition.jsonText()) == definition)
    }
}
