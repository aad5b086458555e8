/// Something an interceptor noticed about one node call and wants seen: a cache hit, a wait for a
/// rate limit, a circuit that opened, a validation warning.
///
/// The runtime publishes each note as an `interceptorNote` event of the node's instance, and derives
/// metrics from the built-in interceptors' notes. `interceptor` and `event` are short stable names
/// (`"cache"`, `"hit"`) that hosts may match; `message` is for people.
public struct InterceptorNote: Sendable, Hashable, CustomStringConvertible {
    /// The interceptor's name, as a workflow file names it (`"cache"`, `"rate-limit"`, a plugin's name).
    public var interceptor: String
    /// What happened, a stable name within the interceptor (`"hit"`, `"miss"`, `"waited"`).
    public var event: String
    /// What happened, for people.
    public var message: String
    /// Facts a host may read by name (`"key"`, `"from"`, `"to"`), JSON values.
    public var details: [String: JSONValue]

    /// Creates a note.
    public init(interceptor: String, event: String, message: String, details: [String: JSONValue] = [:]) {
        self.interceptor = interceptor
        self.event = event
        self.message = message
        self.details = details
    }

    public var description: String { "\(interceptor) \(event): \(message)" }
}
