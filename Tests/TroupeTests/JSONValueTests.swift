import Testing
import Troupe

@Suite("JSON values", .timeLimit(.minutes(2)))
struct JSONValueTests {
    @Test("parses every JSON type")
    func parsesTypes() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5, 3e2, true, false, null, "x\u00e9\n\ud83d\ude00"], "b": {}}"#)
        #expect(value == ["a": [1, -2.5, 300.0, true, false, nil, "xé\n😀"], "b": [:]])
    }

    @Test(
        "reports line and column of malformed input",
        arguments: [
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

    @Test(
        "numbers beyond Double's range are refused at their line and column",
        arguments: [
            ("1e400", 1, 1), ("[1,\n -1e400]", 2, 2), ("{\"retry\": {\"backoffCoefficient\": 1.8e308}}", 1, 34),
            ("123456789012345678901234567890e300", 1, 1),
        ])
    func outOfRangeNumbers(text: String, line: Int, column: Int) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.line == line && error.column == column && error.reason.contains("too large")
        }
    }

    @Test("tiny numbers round to zero and still round-trip")
    func underflow() throws {
        let value = try JSONParser.parse("[1e-400]")
        #expect(try JSONParser.parse(JSONWriter.write(value)) == value)
    }

    @Test("two keys that String equality would merge are refused, naming both places")
    func canonicallyEquivalentKeys() {
        #expect {
            try JSONParser.parse("{\"caf\\u00e9\": 1,\n \"cafe\\u0301\": 2}")
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.line == 2 && error.column == 2
                && error.reason
                    == #"key "cafe\u0301" is canonically equivalent to the key "caf\u00e9" at line 1, column 2 but not the same text; objects cannot hold both"#
        }
    }

    @Test("a duplicate key names its first place, and unprintable bytes are named by value")
    func duplicateAndUnprintable() {
        #expect(throws: JSONParseError(reason: #"duplicate key "\u001b" in object (first at line 1, column 2)"#, line: 1, column: 15)) {
            try JSONParser.parse(#"{"\u001b": 1, "\u001b": 2}"#)
        }
        #expect(throws: JSONParseError(reason: "unexpected byte 0x1B, expected a value", line: 1, column: 2)) {
            try JSONParser.parse([UInt8(ascii: "["), 0x1B])
        }
    }
}
