/// A legacy middleware of either style, so that synchronous hooks are called without an async hop.
@frozen
public enum AnyLegacyMiddleware: Sendable {
    /// Hooks that do not await.
    case synchronous(any LegacyMiddleware)
    /// Hooks that may await.
    case asynchronous(any AsyncLegacyMiddleware)
}
