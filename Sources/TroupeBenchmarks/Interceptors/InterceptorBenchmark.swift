import Troupe

/// The time per node call with no-op interceptors around every node, against none: a chain of
/// synchronous nodes (which run inline, so the time is the runtime's) run one instance at a time.
struct InterceptorBenchmark: Sendable {
    /// The chain's length, the instances per round and the rounds.
    let sizes: BenchmarkSizes

    /// Runs every variant once per round, in turn, and keeps each variant's fastest round
    /// (other load on the machine only ever adds time).
    func run() async throws -> InterceptorResult {
        let shape = WorkflowShape.chain(length: sizes.interceptorChainLength)
        let workloads = try InterceptorVariant.allCases.map { ($0, try TroupeWorkload(shape: shape, interceptors: $0.interceptors)) }
        for (_, workload) in workloads { _ = try await nanosecondsPerNode(workload) }
        var best: [InterceptorVariant: Double] = [:]
        for _ in 0..<sizes.interceptorRounds {
            for (variant, workload) in workloads {
                best[variant] = min(best[variant] ?? .infinity, try await nanosecondsPerNode(workload))
            }
        }
        return InterceptorResult(nanosecondsPerNode: best)
    }

    /// Runs one round of instances one after another; returns the wall time per node call.
    private func nanosecondsPerNode(_ workload: TroupeWorkload) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for input in 0..<sizes.interceptorInstancesPerRound {
            guard await workload.run(input: input) == workload.shape.expectedOutput(forInput: input) else {
                throw BenchmarkFailure(description: "interceptors: instance \(input) returned a wrong result")
            }
        }
        let calls = sizes.interceptorInstancesPerRound * workload.shape.nodeCount
        return (clock.now - start).seconds * 1e9 / Double(calls)
    }
}
