/// A node's report together with its index in the plan, as the instance's scheduler needs it.
struct NodeOutcome: Sendable {
    let index: Int
    let report: NodeReport
}
