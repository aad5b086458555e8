/// A store that cannot be opened, read or written: names the file (or database) and the cause.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem, stable for programs: `NotADatabase`, `Corrupt`, `ReadOnly`, `DiskFull`,
    /// `Locked`, `NewerSchema`, `CannotOpen`, `IOError`, `Closed` or `SQLite`.
    public var type: String
    /// The store's file (or connection) and what went wrong there.
    public var message: String

    /// An error of `type`.
    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
