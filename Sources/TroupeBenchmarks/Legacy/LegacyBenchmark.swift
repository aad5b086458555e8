import Troupe

/// The time per node call with no-op legacy middleware, adapted by the registry, around every node,
/// against as many native no-op interceptors and against none, measured by ``InterceptorBenchmark``.
///
/// The runtime merges adjacent legacy middleware into one stack interceptor, so 10 of them are one
/// link of the node's chain running 10 layers, while 10 native interceptors are 10 links.
struct LegacyBenchmark: Sendable {
    /// The chain's length, the instances per round and the rounds.
    let sizes: BenchmarkSizes
    /// How many of each kind the compared rows put around every node.
    let counts = [1, 10]

    /// Measures no interceptor, then for each count the native and the legacy no-ops, all in the same interleaved rounds.
    func run() async throws -> LegacyResult {
        let measurer = InterceptorBenchmark(sizes: sizes)
        var workloads: [any MeasuredWorkload] = [try TroupeWorkload(shape: measurer.shape)]
        for count in counts {
            workloads.append(try TroupeWorkload(shape: measurer.shape, interceptors: Array(repeating: NoOpInterceptor(), count: count)))
            let runtime = WorkflowRuntime()
            try runtime.registry.register(legacyMiddleware: NoOpLegacy.name) { _ in .synchronous(NoOpLegacy()) }
            let legacy = try (0..<count).map { _ in try runtime.registry.makeInterceptor(InterceptorReference(NoOpLegacy.name)) }
            workloads.append(try TroupeWorkload(shape: measurer.shape, runtime: runtime, interceptors: legacy))
        }
        let fastest = try await measurer.fastestNanosecondsPerNode(workloads)
        return LegacyResult(
            none: fastest[0],
            comparisons: counts.enumerated().map { index, count in
                LegacyComparison(count: count, native: fastest[1 + 2 * index], legacy: fastest[2 + 2 * index])
            })
    }
}
