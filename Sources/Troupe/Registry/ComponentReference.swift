/// A component name as workflows write it, optionally pinned to versions: `audit` or `audit@^1.2`.
public struct ComponentReference: Sendable, Hashable, CustomStringConvertible {
    /// The registered name.
    public var name: String
    /// The versions accepted; `nil` accepts any, including components that have no version.
    public var versions: VersionRange?

    /// Parses `name` or `name@range`.
    public init(_ text: String) throws(VersionRangeError) {
        guard let at = text.firstIndex(of: "@") else {
            name = text
            versions = nil
            return
        }
        name = String(text[..<at])
        versions = try VersionRange(String(text[text.index(after: at)...]))
    }

    public var description: String { versions.map { "\(name)@\($0)" } ?? name }
}
