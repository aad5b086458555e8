import Troupe

/// The throughput of one ``ThroughputCase`` through Troupe, through its hand-written baseline and
/// through that design by hand with Troupe's records (``RecordingWorkload``), all driven by the
/// same ``SlidingWindow``.
struct ThroughputBenchmark: Sendable {
    /// The case measured.
    let measured: ThroughputCase
    /// The counts, instance counts, in-flight width and repetitions to use.
    let sizes: BenchmarkSizes

    /// Measures each count, alternating baseline, by-hand and Troupe runs, and keeps each side's median.
    func run() async throws -> [ThroughputResult] {
        let shape = measured.shape
        let workload = try TroupeWorkload(shape: shape, asyncNodes: measured.asyncNodes)
        let troupeJob: @Sendable (Int) async -> Int? = { input in await workload.run(input: input) }
        let baselineJob = measured.baselineJob
        let recording = RecordingWorkload(shape: shape, asyncNodes: measured.asyncNodes)
        let byHandJob: @Sendable (Int) async -> Int? = { input in await recording.run(input: input) }
        let warmUp = SlidingWindow(count: 2 * sizes.inFlight, width: sizes.inFlight)
        _ = try await rate(of: baselineJob, in: warmUp, side: "baseline")
        _ = try await rate(of: byHandJob, in: warmUp, side: "by hand")
        _ = try await rate(of: troupeJob, in: warmUp, side: "troupe")
        var results: [ThroughputResult] = []
        for count in sizes.throughputCounts {
            let window = SlidingWindow(count: count, width: sizes.inFlight)
            var troupe: [Double] = []
            var baseline: [Double] = []
            var byHand: [Double] = []
            for _ in 0..<sizes.throughputRepetitions {
                baseline.append(try await rate(of: baselineJob, in: window, side: "baseline"))
                byHand.append(try await rate(of: byHandJob, in: window, side: "by hand"))
                troupe.append(try await rate(of: troupeJob, in: window, side: "troupe"))
            }
            results.append(ThroughputResult(measured: measured, count: count, troupe: median(troupe), baseline: median(baseline), byHand: median(byHand)))
        }
        return results
    }

    /// Runs `job` through `window` and returns instances per second; throws when any result is wrong.
    private func rate(of job: @escaping @Sendable (Int) async -> Int?, in window: SlidingWindow, side: String) async throws -> Double {
        let run = await window.run(job) { input in measured.shape.expectedOutput(forInput: input) }
        guard run.wrong == 0 else {
            throw BenchmarkFailure(description: "\(measured.label) (\(side)): \(run.wrong) of \(window.count) instances returned a wrong result")
        }
        return Double(window.count) / run.elapsed.seconds
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
