/// How one node runs: its composed chain, outermost first, its executor, and whether it runs inline and why.
public struct NodeChainExplanation: Sendable, Hashable {
    /// The node's id.
    public var node: String
    /// The node's kind.
    public var kind: String
    /// What registered the kind's executor.
    public var executorSource: ComponentSource
    /// The interceptors, outermost first.
    public var interceptors: [InterceptorExplanation]
    /// Whether the node runs in the instance's own task, without a task of its own.
    public var runsInline: Bool
    /// Why it does or does not run inline.
    public var inlineReason: String
}
