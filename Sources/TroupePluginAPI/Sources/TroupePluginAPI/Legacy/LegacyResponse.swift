/// What old hook-style middleware sees of a node's result: its output and response headers.
@frozen
public struct LegacyResponse: Sendable, Hashable {
    /// The node's output.
    public var output: JSONValue
    /// Response headers, for middleware that passes facts outwards.
    public var metadata: [String: String]

    /// Creates a response.
    @inlinable
    public init(output: JSONValue, metadata: [String: String] = [:]) {
        self.output = output
        self.metadata = metadata
    }
}
