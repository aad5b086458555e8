extension Unicode.Scalar {
    /// A C0 or C1 control character, or a bidirectional override or isolate: any of them could
    /// rewrite a terminal's line when an id is printed.
    var isUnsafeInID: Bool {
        properties.generalCategory == .control || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }
}

extension String {
    /// The first code point that must not appear in an id.
    var firstUnsafeIDScalar: Unicode.Scalar? { unicodeScalars.first(where: \.isUnsafeInID) }

    /// The string as it is when it is safe to print, else quoted with its unsafe code points escaped.
    var printable: String { firstUnsafeIDScalar == nil ? self : quotedForMessage }

    /// The string quoted for a message, with unsafe code points written as `\u{…}`.
    var quotedForMessage: String { quoted { $0.isUnsafeInID } }

    /// The string quoted with every code point outside ASCII written as `\u{…}`, so that two
    /// canonically equivalent strings print differently.
    var quotedByCodePoints: String { quoted { !$0.isASCII || $0.isUnsafeInID } }

    private func quoted(escaping escapes: (Unicode.Scalar) -> Bool) -> String {
        var quoted = "\""
        for scalar in unicodeScalars {
            if escapes(scalar) {
                quoted += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                if scalar == "\"" || scalar == "\\" { quoted += "\\" }
                quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
