/// How a node ended (or that it has not), with its index in the plan, as the instance's scheduler needs it.
///
/// It holds a report's fields itself rather than a `NodeReport`: that type comes from the plugin
/// API, whose layout is resilient, so every copy of one on the node path went through value
/// witnesses. The report is made once, for the result.
struct NodeOutcome: Sendable {
    let index: Int
    var status: NodeStatus
    var output: JSONValue?
    var attempts: Int
    var duration: Duration
    var error: String?
    var errorType: String?
    var skipReason: String?

    init(
        index: Int, status: NodeStatus, output: JSONValue? = nil, attempts: Int = 0, duration: Duration = .zero, error: String? = nil,
        errorType: String? = nil, skipReason: String? = nil
    ) {
        self.index = index
        self.status = status
        self.output = output
        self.attempts = attempts
        self.duration = duration
        self.error = error
        self.errorType = errorType
        self.skipReason = skipReason
    }

    /// The outcome a report records, for a node a resumed run completed before.
    init(index: Int, report: NodeReport) {
        self.init(
            index: index, status: report.status, output: report.output, attempts: report.attempts, duration: report.duration,
            error: report.error, errorType: report.errorType, skipReason: report.skipReason)
    }

    /// The report the result carries.
    var report: NodeReport {
        NodeReport(
            status: status, output: output, attempts: attempts, duration: duration, error: error, errorType: errorType, skipReason: skipReason)
    }
}
