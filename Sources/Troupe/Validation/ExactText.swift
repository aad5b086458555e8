/// A string compared and hashed by its code points, as RFC 8259 compares JSON strings.
///
/// Swift's `String` equality is canonical equivalence, so `"\u{E9}"` and `"e\u{301}"` would be one
/// key; ids that look alike but differ are told apart here and reported, never silently merged.
struct ExactText: Hashable {
    /// The string itself.
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: ExactText, rhs: ExactText) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
