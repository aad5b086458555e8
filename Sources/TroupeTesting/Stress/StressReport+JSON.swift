import Troupe

extension StressReport {
    /// The report as one JSON object, durations in seconds and memory in bytes, as `troupe stress --json` prints it.
    public var json: JSONValue {
        var statuses: [String: JSONValue] = [:]
        for status in InstanceStatus.allCases where status.isTerminal { statuses[status.rawValue] = .integer(statusCounts[status] ?? 0) }
        return [
            "seed": .string(String(seed)),
            "instances": .integer(instances),
            "elapsedSeconds": .double(elapsed.stressSeconds),
            "instancesPerSecond": .double(instancesPerSecond),
            "latency": latency.json,
            "nodeLatency": .object(nodeLatency.mapValues(\.json)),
            "statusCounts": .object(statuses),
            "retries": .integer(retries),
            "injected": .object(injected.mapValues { .integer($0) }),
            "invariantViolations": [
                "count": .integer(violationCount),
                "first": .array(
                    violations.map {
                        [
                            "instance": .integer($0.index), "instanceID": .string($0.instanceID.description), "seed": .string(String($0.seed)),
                            "message": .string($0.message),
                        ]
                    }),
                "run": .array(runViolations.map { .string($0) }),
            ],
            "memory": [
                "before": .integer(memory.before), "peak": .integer(memory.peak), "highWaterMark": .integer(memory.highWaterMark),
                "after": .integer(memory.after), "perInFlightInstance": .integer(memory.perInFlightInstance),
                "leakBound": .integer(memory.leakBound), "leakCheckPassed": .bool(memory.leakCheckPassed),
            ],
            "pluginReloads": ["done": .integer(pluginReloads), "stopped": .array(stoppedPluginReloads.map { .string($0) })],
            "passed": .bool(passed),
        ]
    }
}
