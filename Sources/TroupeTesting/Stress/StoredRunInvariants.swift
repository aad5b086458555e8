import Troupe

/// The invariants a durable run's store must agree with once its instance has ended: what the
/// store says about the run is what the result says, and its history has no gaps.
enum StoredRunInvariants {
    /// What the store says that the result does not; empty when they agree.
    static func violations(of result: WorkflowResult, runID: RunID?, store: any RunStore) async -> [String] {
        guard let runID else { return ["the runtime has a store but the instance has no run id"] }
        let record: RunRecord?
        let attempts: [NodeAttemptRecord]
        let events: [RunEventRecord]
        do {
            record = try await store.run(runID)
            attempts = try await store.attempts(of: runID)
            events = try await store.events(of: runID)
        } catch {
            return ["run \(runID): the store could not be read: \(error)"]
        }
        guard let record else { return ["run \(runID) is not in the store"] }
        var violations: [String] = []
        if record.status != RunStatus(result.status) {
            violations.append("run \(runID) is stored \(record.status.rawValue), the result is \(result.status.rawValue)")
        }
        if let type = result.errorType, record.errorType != type {
            violations.append("run \(runID) is stored with error type \(record.errorType ?? "none"), the result has \(type)")
        }
        for (node, report) in result.nodes.sorted(by: { $0.key < $1.key }) where report.status == .completed {
            let output = report.output ?? .null
            if record.output?[node] != output {
                violations.append("run \(runID): node \(node)'s stored output differs from the result's")
            }
            let completed = attempts.filter { $0.nodeID == node && $0.status == .completed }
            if completed.count != 1 || completed.first?.output != output {
                violations.append("run \(runID): node \(node) has \(completed.count) completed attempts stored, not one with its output")
            }
        }
        // A run's history counts from 0, as its live events do, across resumes.
        for (position, event) in events.enumerated() where event.sequence != position {
            violations.append("run \(runID): stored history has sequence \(event.sequence) where \(position) belongs")
            break
        }
        return violations
    }
}
