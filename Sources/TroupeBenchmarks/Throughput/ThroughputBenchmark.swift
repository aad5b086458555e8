import Troupe

/// The throughput of one workflow shape through Troupe and through its hand-written baseline,
/// both driven by the same ``SlidingWindow``.
struct ThroughputBenchmark: Sendable {
    /// The workflow measured.
    let shape: WorkflowShape
    /// The counts, instance counts, in-flight width and repetitions to use.
    let sizes: BenchmarkSizes

    /// Measures each count, alternating baseline and Troupe runs and keeping each side's best.
    func run() async throws -> [ThroughputResult] {
        let workload = try TroupeWorkload(shape: shape)
        let troupeJob: @Sendable (Int) async -> Int? = { input in await workload.run(input: input) }
        let baselineJob: @Sendable (Int) async -> Int? = shape.baseline
        let warmUp = SlidingWindow(count: 2 * sizes.inFlight, width: sizes.inFlight)
        _ = try await rate(of: baselineJob, in: warmUp, side: "baseline")
        _ = try await rate(of: troupeJob, in: warmUp, side: "troupe")
        var results: [ThroughputResult] = []
        for count in sizes.throughputCounts {
            let window = SlidingWindow(count: count, width: sizes.inFlight)
            var troupe = 0.0
            var baseline = 0.0
            for _ in 0..<sizes.throughputRepetitions {
                baseline = max(baseline, try await rate(of: baselineJob, in: window, side: "baseline"))
                troupe = max(troupe, try await rate(of: troupeJob, in: window, side: "troupe"))
            }
            results.append(ThroughputResult(shapeName: shape.name, count: count, troupe: troupe, baseline: baseline))
        }
        return results
    }

    /// Runs `job` through `window` and returns instances per second; throws when any result is wrong.
    private func rate(of job: @escaping @Sendable (Int) async -> Int?, in window: SlidingWindow, side: String) async throws -> Double {
        let run = await window.run(job) { input in shape.expectedOutput(forInput: input) }
        guard run.wrong == 0 else {
            throw BenchmarkFailure(description: "\(shape.name) (\(side)): \(run.wrong) of \(window.count) instances returned a wrong result")
        }
        return Double(window.count) / run.elapsed.seconds
    }
}
