/// An error thrown inside a legacy middleware's hook, naming the middleware and the hook.
public struct LegacyHookError: Error, Sendable, CustomStringConvertible {
    /// The hooks of the old interface.
    public enum Hook: String, Sendable, Hashable {
        /// `processRequest`.
        case processRequest
        /// `processResponse`.
        case processResponse
        /// `processError`.
        case processError
    }

    /// The middleware's registered name.
    public var middleware: String
    /// The hook that threw.
    public var hook: Hook
    /// What it threw.
    public var underlying: any Error

    /// Creates the error.
    public init(middleware: String, hook: Hook, underlying: any Error) {
        self.middleware = middleware
        self.hook = hook
        self.underlying = underlying
    }

    public var description: String { "legacy middleware \(middleware) threw in \(hook.rawValue): \(underlying)" }
}
