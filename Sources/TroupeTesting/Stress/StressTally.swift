import Troupe

/// The running totals of a ``StressRun``, kept by the one task that collects outcomes.
struct StressTally {
    /// How many instance violations the report lists in full.
    static let listedViolations = 10

    let seed: UInt64
    var instances = 0
    var errors = 0
    var statusCounts: [InstanceStatus: Int] = [:]
    var latencies: [Duration] = []
    var nodeDurations: [String: [Duration]] = [:]
    var retries = 0
    var injected: [String: Int] = [:]
    var violationCount = 0
    var violations: [StressViolation] = []
    var runViolations: [String] = []

    init(seed: UInt64) { self.seed = seed }

    mutating func add(_ outcome: InstanceOutcome) {
        instances += 1
        if outcome.status != .completed { errors += 1 }
        statusCounts[outcome.status, default: 0] += 1
        latencies.append(outcome.latency)
        for (kind, duration) in outcome.nodeDurations { nodeDurations[kind, default: []].append(duration) }
        retries += outcome.retries
        if let fault = outcome.injected { injected[fault, default: 0] += 1 }
        violationCount += outcome.violations.count
        for message in outcome.violations where violations.count < Self.listedViolations {
            violations.append(StressViolation(index: outcome.index, instanceID: outcome.instanceID, seed: outcome.seed, message: message))
        }
    }

    func report(elapsed: Duration, memory: StressMemory, reloads: StressPluginReloads.Outcome) -> StressReport {
        let seconds = elapsed.stressSeconds
        return StressReport(
            seed: seed, instances: instances, elapsed: elapsed, instancesPerSecond: seconds > 0 ? Double(instances) / seconds : 0,
            statusCounts: statusCounts, latency: LatencySummary(latencies), nodeLatency: nodeDurations.mapValues(LatencySummary.init),
            retries: retries, injected: injected, violationCount: violationCount + runViolations.count, violations: violations,
            runViolations: runViolations, memory: memory, pluginReloads: reloads.reloads, stoppedPluginReloads: reloads.stopped)
    }
}
