import Foundation
import Testing
import Troupe

/// `WorkflowDefinition(contentsOf:)`: regular files only, a size limit, UTF-8 checked, reasons named.
@Suite("Workflow file reading", .timeLimit(.minutes(1)))
struct WorkflowFileReadingTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("troupe-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func message(reading path: String, maximumSize: Int = WorkflowDefinition.defaultMaximumFileSize) -> String? {
        do {
            _ = try WorkflowDefinition(contentsOf: URL(fileURLWithPath: path), maximumSize: maximumSize)
            return nil
        } catch {
            return error.issues.map(\.description).joined(separator: "\n")
        }
    }

    @Test("a FIFO is not a regular file, and opening it does not wait for a writer")
    func fifo() throws {
        let path = directory.appendingPathComponent("pipe.json").path
        #expect(mkfifo(path, 0o600) == 0)
        #expect(message(reading: path) == "cannot read the file: it is not a regular file (a FIFO)")
    }

    @Test("devices are not regular files", arguments: ["/dev/null", "/dev/zero"])
    func devices(path: String) {
        #expect(message(reading: path) == "cannot read the file: it is not a regular file (a character device)")
    }

    @Test("a directory and a missing file say so")
    func directoryAndMissing() {
        #expect(message(reading: directory.path) == "cannot read the file: it is a directory")
        #expect(message(reading: directory.appendingPathComponent("missing.json").path) == "cannot read the file: No such file or directory")
    }

    @Test("a file over the limit is refused before it is read; one at the limit is read")
    func sizeLimit() throws {
        let url = directory.appendingPathComponent("w.json")
        let text = #"{"id": "w", "version": "1.0.0", "nodes": [{"id": "a", "kind": "echo"}]}"#
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect(
            message(reading: url.path, maximumSize: text.utf8.count - 1) == "cannot read the file: it is larger than the limit of \(text.utf8.count - 1) bytes")
        #expect(message(reading: url.path, maximumSize: text.utf8.count) == nil)
    }

    @Test("bytes that are not UTF-8 are named with their place")
    func notUTF8() throws {
        let url = directory.appendingPathComponent("latin1.json")
        try Data(#"{"id": "caf"#.utf8 + [0xE9] + #"", "version": "1.0.0"}"#.utf8).write(to: url)
        #expect(message(reading: url.path) == "cannot read the file: it is not UTF-8 text (an invalid byte at line 1, column 12)")
    }

    @Test("a file's definition equals the one parsed from its text")
    func sameAsText() throws {
        let url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("../../Examples/etl.json")
            .standardizedFileURL
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(try WorkflowDefinition(contentsOf: url) == WorkflowDefinition(json: text))
    }
}
