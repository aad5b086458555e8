import Testing
import Troupe

@Suite("JSON values")
struct JSONValueTests {
    @Test("parses every JSON type")
    func parsesTypes() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5, 3e2, true, false, null, "x\u00e9\n\ud83d\ude00"], "b": {}}"#)
        #expect(value == ["a": [1, -2.5, 300.0, true, false, nil, "xé\n😀"], "b": [:]])
    }

    @Test("reports line and column of malformed input", arguments: [
        ("{\n  \"a\": 1,\n  \"b\": [1, 2,]\n}", 3, 14),
        ("{\"a\" 1}", 1, 6),
        ("[1, 2", 1, 6),
        ("{\"a\": tru}", 1, 7),
        ("{\"a\": 1, \"a\": 2}", 1, 10),
        ("01", 1, 2),
        ("[1] x", 1, 5),
    ])
    func reportsPosition(text: String, line: Int, column: Int) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.line == line && error.column == column
        }
    }

    @Test("writes sorted keys and round-trips")
    func roundTrips() throws {
        let value: JSONValue = ["z": 1, "a": ["s": "q\"uote\\", "n": nil, "d": 0.5, "i": -7], "arr": [true, []]]
        let compact = JSONWriter.write(value, pretty: false)
        #expect(compact == #"{"a":{"d":0.5,"i":-7,"n":null,"s":"q\"uote\\"},"arr":[true,[]],"z":1}"#)
        #expect(try JSONParser.parse(compact) == value)
        #expect(try JSONParser.parse(JSONWriter.write(value, pretty: true)) == value)
    }

    @Test("JSON Pointer resolves RFC 6901 examples")
    func pointer() throws {
        let document: JSONValue = ["foo": ["bar", "baz"], "": 0, "a/b": 1, "m~n": 8, "list": [["id": 3]]]
        #expect(try JSONPointer("").resolve(in: document) == document)
        #expect(try JSONPointer("/foo/0").resolve(in: document) == "bar")
        #expect(try JSONPointer("/").resolve(in: document) == 0)
        #expect(try JSONPointer("/a~1b").resolve(in: document) == 1)
        #expect(try JSONPointer("/m~0n").resolve(in: document) == 8)
        #expect(try JSONPointer("/list/0/id").resolve(in: document) == 3)
        #expect(try JSONPointer("/foo/2").resolve(in: document) == nil)
        #expect(try JSONPointer("/foo/01").resolve(in: document) == nil)
        #expect(throws: JSONPointerError.self) { try JSONPointer("foo") }
        #expect(throws: JSONPointerError.self) { try JSONPointer("/a~2") }
    }
}
