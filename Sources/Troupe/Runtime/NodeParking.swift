/// How a node that only waits parks its instance, holding no task while it waits: set, when the
/// workflow is prepared, on a `wait` or `sleep` node with no interceptors around it.
enum NodeParking: Sendable {
    /// A `wait` node: until the signal comes, or, past `timeout`, failed with ``SignalTimeout``.
    case signal(String, timeout: Duration?)
    /// A `sleep` node: completed with `output` after `duration`.
    case sleep(Duration, output: JSONValue)
}
