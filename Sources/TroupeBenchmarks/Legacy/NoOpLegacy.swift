import Troupe

/// Hook-style middleware that implements no hook, so every hook is the protocol's pass-through default.
struct NoOpLegacy: LegacyMiddleware {
    /// The name it is registered under.
    static let name = "legacy-no-op"
}
