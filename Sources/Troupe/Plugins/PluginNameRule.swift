/// The names a plugin may give itself, its components and its requirements: 1 to 64 characters of
/// `A–Z a–z 0–9 . _ -`, starting with a letter or digit. Workflows must be able to name every
/// component (`@` starts a version range there), and names are printed to terminals, so control
/// characters and escapes are out.
enum PluginNameRule {
    /// The longest name allowed.
    static let maximumLength = 64

    /// Why `name` is not allowed, or `nil`.
    static func problem(with name: String) -> String? {
        let scalars = name.unicodeScalars
        guard !scalars.isEmpty else { return "is empty" }
        guard scalars.count <= maximumLength else { return "is longer than \(maximumLength) characters" }
        guard scalars.allSatisfy(isAllowed) else { return "may hold only A-Z, a-z, 0-9, '.', '_' and '-'" }
        guard let first = scalars.first, isAlphanumeric(first) else { return "must start with a letter or a digit" }
        return nil
    }

    /// `name` in quotes with every character outside printable ASCII escaped, safe to print anywhere.
    static func quoted(_ name: String) -> String {
        var text = "\""
        for scalar in name.unicodeScalars.prefix(maximumLength * 2) {
            if scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\" {
                text.unicodeScalars.append(scalar)
            } else {
                text += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return text + (name.unicodeScalars.count > maximumLength * 2 ? "…\"" : "\"")
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        isAlphanumeric(scalar) || scalar == "." || scalar == "_" || scalar == "-"
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
