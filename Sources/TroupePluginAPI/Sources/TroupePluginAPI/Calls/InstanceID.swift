/// Identifies one running workflow instance within a process.
@frozen
public struct InstanceID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number, unique within the runtime that started the instance.
    public let rawValue: UInt64

    /// Wraps a raw number.
    @inlinable
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static func < (lhs: InstanceID, rhs: InstanceID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "i\(rawValue)" }
}
