/// How a node that waits parks its instance, holding no task while it waits: set, when the
/// workflow is prepared, on a `wait` or `sleep` node with no interceptors around it, and on a
/// node whose outermost interceptor is a retry.
enum NodeParking: Sendable {
    /// A `wait` node: until the signal comes, or, past `timeout`, failed with ``SignalTimeout``.
    case signal(String, timeout: Duration?)
    /// A `sleep` node: completed with `output` after `duration`.
    case sleep(Duration, output: JSONValue)
    /// A node whose retries the instance drives: each attempt runs `attempt`, the chain inside
    /// `retry`, and the instance parks for the back-off between them.
    case backOff(RetryInterceptor, attempt: any NodeHandler)
}
