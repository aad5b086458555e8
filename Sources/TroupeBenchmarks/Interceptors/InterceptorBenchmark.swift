import Troupe

/// The time per node call with no-op interceptors around every node, against none: a chain of
/// synchronous nodes (which run inline, so the time is the runtime's) run one instance at a time.
///
/// The plugin and legacy benchmarks measure their own workloads with the same rounds.
struct InterceptorBenchmark: Sendable {
    /// The chain's length, the instances per round and the rounds.
    let sizes: BenchmarkSizes

    /// The chain every workload measured here must run.
    var shape: WorkflowShape { .chain(length: sizes.interceptorChainLength) }

    /// Measures every variant with ``fastestNanosecondsPerNode(_:)``, in the same rounds as the
    /// hand-written design with Troupe's records (``RecordingWorkload``).
    func run() async throws -> InterceptorResult {
        let variants = InterceptorVariant.allCases
        var workloads: [any MeasuredWorkload] = try variants.map { try TroupeWorkload(shape: shape, interceptors: $0.interceptors) }
        workloads.append(RecordingWorkload(shape: shape, asyncNodes: false))
        let fastest = try await fastestNanosecondsPerNode(workloads)
        return InterceptorResult(nanosecondsPerNode: Dictionary(uniqueKeysWithValues: zip(variants, fastest)), handWritten: fastest[variants.count])
    }

    /// Runs a warm-up round of each workload, then every workload once per round, in turn (ABC ABC …),
    /// and returns each one's fastest round (other load on the machine only ever adds time), in the order given.
    func fastestNanosecondsPerNode(_ workloads: [any MeasuredWorkload]) async throws -> [Double] {
        for workload in workloads { _ = try await nanosecondsPerNode(workload) }
        var fastest = Array(repeating: Double.infinity, count: workloads.count)
        for _ in 0..<sizes.interceptorRounds {
            for (index, workload) in workloads.enumerated() {
                fastest[index] = min(fastest[index], try await nanosecondsPerNode(workload))
            }
        }
        return fastest
    }

    /// Runs one round of instances one after another; returns the wall time per node call.
    private func nanosecondsPerNode(_ workload: any MeasuredWorkload) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for input in 0..<sizes.interceptorInstancesPerRound {
            guard await workload.run(input: input) == workload.shape.expectedOutput(forInput: input) else {
                throw BenchmarkFailure(description: "\(workload.shape.name) (\(type(of: workload))): instance \(input) returned a wrong result")
            }
        }
        let calls = sizes.interceptorInstancesPerRound * workload.shape.nodeCount
        return (clock.now - start).seconds * 1e9 / Double(calls)
    }
}
