/// An RFC 6901 JSON Pointer such as `/items/0/name`, which picks one value out of a document.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens; empty for the whole document.
    public let tokens: [String]

    /// Parses pointer text; it must be empty or start with `/`, and `~` must be followed by `0` or `1`.
    public init(_ text: String) throws(JSONPointerError) {
        guard !text.isEmpty else {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw JSONPointerError(pointer: text, reason: "must be empty or start with '/'") }
        var parsed: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var iterator = raw.makeIterator()
            while let character = iterator.next() {
                guard character == "~" else {
                    token.append(character)
                    continue
                }
                switch iterator.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default: throw JSONPointerError(pointer: text, reason: "'~' must be followed by '0' or '1'")
                }
            }
            parsed.append(token)
        }
        tokens = parsed
    }

    /// The value the pointer refers to within `document`, or `nil` when there is none.
    public func resolve(in document: JSONValue) -> JSONValue? {
        var value = document
        for token in tokens {
            switch value {
            case .object(let members):
                guard let member = members[token] else { return nil }
                value = member
            case .array(let elements):
                // RFC 6901: an array index is "0" or digits without a leading zero.
                guard let position = Int(token), position >= 0, position < elements.count,
                    token == "0" || !token.hasPrefix("0")
                else { return nil }
                value = elements[position]
            default:
                return nil
            }
        }
        return value
    }

    public var description: String {
        tokens.map { "/" + $0.replacingAll("~", with: "~0").replacingAll("/", with: "~1") }.joined()
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
