/// The order in which an instance runs its nodes.
public enum ExecutionStrategy: Sendable, Hashable {
    /// One node at a time, in topological order (declaration order among peers).
    case sequential
    /// Level by level: all nodes of a level run concurrently, at most `maxConcurrency` at once,
    /// and the next level starts when the whole level is done.
    case parallel(maxConcurrency: Int)
    /// Each node starts as soon as all its predecessors are done; `maxConcurrency` bounds it when set.
    case dag(maxConcurrency: Int? = nil)

    /// The strategy's name in workflow files.
    public var name: String {
        switch self {
        case .sequential: return "sequential"
        case .parallel: return "parallel"
        case .dag: return "dag"
        }
    }
}
