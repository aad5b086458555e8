import Foundation
import Troupe

extension StressReport {
    /// The report as an aligned text table, as `troupe stress` prints it on standard error.
    public var table: String {
        var rows: [(String, String)] = [
            ("instances", "\(instances) in \(Self.seconds(elapsed)) (\(String(format: "%.0f", instancesPerSecond))/s)"),
            ("latency", Self.percentiles(latency)),
        ]
        for kind in nodeLatency.keys.sorted() { rows.append(("  node \(kind)", Self.percentiles(nodeLatency[kind] ?? LatencySummary([])))) }
        let statuses = InstanceStatus.allCases.filter(\.isTerminal).map { "\($0.rawValue) \(statusCounts[$0] ?? 0)" }
        rows.append(("status", statuses.joined(separator: ", ")))
        rows.append(("retries", "\(retries)"))
        rows.append(("injected", ["cancel", "pause", "deadline"].map { "\($0) \(injected[$0] ?? 0)" }.joined(separator: ", ")))
        if pluginReloads > 0 || !stoppedPluginReloads.isEmpty {
            rows.append(("plugin reloads", "\(pluginReloads)"))
            for stopped in stoppedPluginReloads { rows.append(("", "stopped: \(stopped)")) }
        }
        rows.append(("invariants", violationCount == 0 ? "all held" : "\(violationCount) violations"))
        for violation in violations { rows.append(("", "\(violation)")) }
        for problem in runViolations { rows.append(("", problem)) }
        rows.append(
            ("memory", "peak \(Self.mebibytes(memory.peak)), \(Self.kibibytes(memory.perInFlightInstance)) per in-flight instance"))
        rows.append(
            (
                "leak check",
                "\(memory.leakCheckPassed ? "passed" : "FAILED"): \(Self.mebibytes(memory.before)) before, \(Self.mebibytes(memory.after)) after (bound \(Self.mebibytes(memory.leakBound)))"
            ))
        rows.append(("seed", "\(seed)"))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }

    private static func percentiles(_ summary: LatencySummary) -> String {
        "p50 \(milliseconds(summary.p50))  p90 \(milliseconds(summary.p90))  p99 \(milliseconds(summary.p99))  max \(milliseconds(summary.max))  (\(summary.count))"
    }

    private static func milliseconds(_ duration: Duration) -> String { String(format: "%.2f ms", duration.stressSeconds * 1000) }
    private static func seconds(_ duration: Duration) -> String { String(format: "%.2f s", duration.stressSeconds) }
    private static func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
    private static func kibibytes(_ bytes: Int) -> String { String(format: "%.1f KiB", Double(bytes) / 1024) }
}
