extension Registry {
    /// A plugin API type (frozen, so its metadata is static in the library rather than made at run time) as the runtime module sees it, so tests can check that the runtime and its
    /// users share one copy of the API library.
    static let apiTypeForIdentityCheck: Any.Type = JSONValue.self
}
