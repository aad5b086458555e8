import Testing

@testable import Troupe

@Suite("SQLite store: JSON of the rows it writes", .timeLimit(.minutes(1)))
struct EncodedWriteTests {
    /// The shapes written without the general writer, the ones next to them that are not, and others.
    static let values: [JSONValue] = [
        .integer(0), .integer(-42), .integer(Int.max), .null, .bool(true), .double(1.5), .string("plain"),
        ["attempt": .integer(1)], ["attempt": .integer(-3)], ["status": .string("completed")], ["workflow": .string("étoile ✓")],
        ["error": .string("quote \" inside")], ["error": .string("back\\slash")], ["error": .string("line\nbreak")],
        ["key \"quoted\"": .integer(1)], ["tab\tkey": .string("x")], ["nested": ["attempt": .integer(1)]], ["list": [.integer(1)]],
        ["a": .integer(1), "b": .integer(2)], [:], [.integer(1), .string("x")],
    ]

    @Test("is the text JSONWriter writes", arguments: values)
    func sameTextAsJSONWriter(_ value: JSONValue) {
        #expect(EncodedWrite.json(value) == JSONWriter.write(value, pretty: false))
    }
}
