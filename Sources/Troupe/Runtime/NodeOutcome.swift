/// How a node ended (or that it has not), with its index in the plan, as the instance's scheduler needs it.
///
/// It keeps the plugin API's `NodeReport`, whose layout is resilient, rather than the same fields
/// of a fixed layout: a fixed-layout outcome is placed whole in the async frames and task results
/// that carry it, which made each suspended branch of a diamond10 grow past its task's first
/// allocation block (38 KiB against 28 KiB per suspended instance, `troupe-bench --only memory`).
struct NodeOutcome: Sendable {
    let index: Int
    var report: NodeReport

    /// An outcome with a report made of these fields.
    init(
        index: Int, status: NodeStatus, output: JSONValue? = nil, attempts: Int = 0, duration: Duration = .zero, error: String? = nil,
        errorType: String? = nil, skipReason: String? = nil
    ) {
        self.index = index
        report = NodeReport(
            status: status, output: output, attempts: attempts, duration: duration, error: error, errorType: errorType, skipReason: skipReason)
    }

    /// The outcome a stored report records, for a node a resumed run completed before.
    init(index: Int, report: NodeReport) {
        self.index = index
        self.report = report
    }

    var status: NodeStatus { report.status }
    var output: JSONValue? { report.output }
    var error: String? { report.error }
    var errorType: String? { report.errorType }
    /// Set on a pending node once it is known that it will be skipped, and why.
    var skipReason: String? {
        get { report.skipReason }
        set { report.skipReason = newValue }
    }
}
