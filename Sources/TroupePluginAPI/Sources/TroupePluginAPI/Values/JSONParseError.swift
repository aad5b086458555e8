/// Malformed JSON text, with the line and column (both from 1) where parsing stopped.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public var reason: String
    /// The line of the offending character, from 1.
    public var line: Int
    /// The column of the offending character, from 1, counted in bytes.
    public var column: Int

    /// Creates an error at a line and column.
    public init(reason: String, line: Int, column: Int) {
        self.reason = reason
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column): \(reason)" }
}
