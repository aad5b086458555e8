import Troupe

/// The time per node call with 10 no-op interceptors from the no-op plugin's `.so` around every node,
/// against the same 10 compiled into troupe-bench and against none, measured by ``InterceptorBenchmark``.
struct PluginInterceptorBenchmark: Sendable {
    /// The chain's length, the instances per round and the rounds.
    let sizes: BenchmarkSizes
    /// How many interceptors each side puts around every node.
    let interceptorsPerNode = 10

    /// Loads the plugin into the runtime of the workload that uses it, then measures the three workloads in interleaved rounds.
    func run() async throws -> PluginInterceptorResult {
        let measurer = InterceptorBenchmark(sizes: sizes)
        let pluginRuntime = WorkflowRuntime()
        let name = try await loadPlugin(into: pluginRuntime.registry)
        let fromPlugin = try (0..<interceptorsPerNode).map { _ in try pluginRuntime.registry.makeInterceptor(InterceptorReference(name)) }
        let workloads: [any MeasuredWorkload] = [
            try TroupeWorkload(shape: measurer.shape),
            try TroupeWorkload(shape: measurer.shape, interceptors: Array(repeating: NoOpInterceptor(), count: interceptorsPerNode)),
            try TroupeWorkload(shape: measurer.shape, runtime: pluginRuntime, interceptors: fromPlugin),
        ]
        let fastest = try await measurer.fastestNanosecondsPerNode(workloads)
        return PluginInterceptorResult(none: fastest[0], compiledIn: fastest[1], fromPlugin: fastest[2])
    }

    /// Loads the no-op plugin's library into `registry` and returns the name of the interceptor it provides.
    private func loadPlugin(into registry: Registry) async throws -> String {
        let path = try NoOpPluginLibrary.path()
        let failures = await registry.loadPlugins(files: [path])
        guard failures.isEmpty else { throw BenchmarkFailure(description: "plugin-interceptor: \(failures[0])") }
        guard let name = registry.plugins.first?.provides.first?.name else {
            throw BenchmarkFailure(description: "plugin-interceptor: \(path) provides no interceptor")
        }
        return name
    }
}
