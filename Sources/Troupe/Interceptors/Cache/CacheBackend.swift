/// Where the `cache` interceptor keeps node results, so that a host can put them somewhere other
/// than the built-in ``MemoryCacheBackend``.
///
/// # Thread safety
/// One backend value serves every instance of every workflow that uses it, at once: both
/// requirements are called concurrently from many tasks and must be safe to call so, and must not
/// block a thread for long (they run on the cooperative pool; do slow I/O asynchronously).
///
/// # What each requirement must do
/// - ``result(forKey:)`` returns the value last stored under the key, or `nil` when there is none,
///   it has expired, or the backend dropped it. It may return `nil` for any key at any time (a
///   backend may forget), but never a value stored under another key or one that expired.
/// - ``store(_:forKey:timeToLive:)`` keeps the value under the key, replacing any earlier one, for
///   at least as long as the backend's own bounds allow and at most `timeToLive` when one is given;
///   a value past its time to live must never be returned again.
///
/// Keys are lowercase hex SHA-256 digests of the call, so they are short and safe as file or row
/// names. The interceptor does its own single-flight: a backend need not coordinate concurrent misses.
public protocol CacheBackend: Sendable {
    /// The result stored under `key`, or `nil` when there is none or it has expired.
    func result(forKey key: String) async -> JSONValue?

    /// Stores `result` under `key`; after `timeToLive`, when given, it must not be returned.
    func store(_ result: JSONValue, forKey key: String, timeToLive: Duration?) async
}
