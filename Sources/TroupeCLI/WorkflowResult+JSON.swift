import Troupe

extension WorkflowResult {
    /// The result as `troupe run` prints it; durations are seconds, and absent outputs and errors are left out.
    var commandLineJSON: JSONValue {
        var object: [String: JSONValue] = [
            "instance": .string(instanceID.description),
            "workflow": .string(workflowID),
            "status": .string(status.rawValue),
            "duration": .double(Self.rounded(duration)),
            "nodes": .object(nodes.mapValues(Self.json)),
        ]
        if let error { object["error"] = .string(error) }
        return .object(object)
    }

    /// One node's report.
    private static func json(_ report: NodeReport) -> JSONValue {
        var object: [String: JSONValue] = [
            "status": .string(report.status.rawValue),
            "attempts": .integer(report.attempts),
            "duration": .double(rounded(report.duration)),
        ]
        if let output = report.output { object["output"] = output }
        if let error = report.error { object["error"] = .string(error) }
        return .object(object)
    }

    /// Seconds to the microsecond; finer digits are clock noise.
    private static func rounded(_ duration: Duration) -> Double {
        (duration.secondsValue * 1e6).rounded() / 1e6
    }
}
