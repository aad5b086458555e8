/// Range text that is not a version range.
public struct VersionRangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The range as given.
    public var range: String
    /// What is wrong with it.
    public var reason: String

    public var description: String { "invalid version range \"\(range)\": \(reason)" }
}
