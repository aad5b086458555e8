/// How much work each benchmark does: the full run's counts, or the smoke run's smaller ones.
struct BenchmarkSizes: Sendable {
    /// The instance counts of each throughput benchmark.
    let throughputCounts: [Int]
    /// How many instances the throughput benchmarks keep in flight.
    let inFlight: Int
    /// How many times each throughput measurement is repeated; the median run counts.
    let throughputRepetitions: Int
    /// How many diamond10 instances are suspended at once for the memory benchmark.
    let suspendedInstances: Int
    /// How many instances the parked benchmark parks at a `wait` node at once.
    let parkedInstances: Int
    /// How many nodes the chain of the interceptor, plugin-interceptor and legacy benchmarks has.
    let interceptorChainLength: Int
    /// How many instances one round of those benchmarks runs per variant, one at a time.
    let interceptorInstancesPerRound: Int
    /// How many rounds of those benchmarks run; each variant's fastest round counts.
    let interceptorRounds: Int

    /// The default run: a few minutes in release.
    static let full = BenchmarkSizes(
        throughputCounts: [20_000], inFlight: 1_000, throughputRepetitions: 5, suspendedInstances: 8_000, parkedInstances: 100_000,
        interceptorChainLength: 100, interceptorInstancesPerRound: 200, interceptorRounds: 21)

    /// The `--quick` run: a CI smoke test, a few seconds, even in a debug build.
    static let quick = BenchmarkSizes(
        throughputCounts: [1_000], inFlight: 100, throughputRepetitions: 1, suspendedInstances: 500, parkedInstances: 1_000,
        interceptorChainLength: 100, interceptorInstancesPerRound: 10, interceptorRounds: 3)
}
