/// The command line of `troupe-bench`: which benchmarks to run and at what size.
struct BenchmarkOptions: Sendable {
    /// Every benchmark name `--only` accepts, in the order they run.
    static let benchmarkNames = [
        "diamond10", "chain10", "interceptors", "resilience", "plugin-interceptor", "legacy", "plugin-loading", "parked", "memory", "store",
    ]
    /// The usage text printed by `--help` and after a bad argument.
    static let usage = """
        usage: troupe-bench [--quick] [--only NAME]... [--parked N]
          --quick       small counts, for CI: checks every result, exits 1 only on a wrong one (a few seconds)
          --only NAME   run only NAME; repeatable. Names: \(benchmarkNames.joined(separator: ", "))
          --parked N    park N instances in the parked benchmark (default 100,000; 1,000 with --quick)
        """

    /// Whether to use the smaller counts of a smoke run.
    var quick = false
    /// How many instances the parked benchmark parks, when given.
    var parkedInstances: Int?
    /// The benchmarks to run; all of them when `--only` was not given.
    var selected = Set(benchmarkNames)

    /// Parses the arguments after the program name; the error's message is meant for the user.
    init(arguments: [String]) throws(BenchmarkOptionsError) {
        var only: Set<String> = []
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--quick":
                quick = true
            case "--only":
                guard let name = remaining.popFirst() else { throw BenchmarkOptionsError(message: "--only needs a benchmark name") }
                guard Self.benchmarkNames.contains(name) else { throw BenchmarkOptionsError(message: "unknown benchmark \"\(name)\"") }
                only.insert(name)
            case "--parked":
                guard let text = remaining.popFirst(), let count = Int(text), count > 0 else {
                    throw BenchmarkOptionsError(message: "--parked needs a positive number of instances")
                }
                parkedInstances = count
            case "--help", "-h":
                throw BenchmarkOptionsError(message: nil)
            default:
                throw BenchmarkOptionsError(message: "unknown argument \"\(argument)\"")
            }
        }
        if !only.isEmpty { selected = only }
    }

    /// Whether the benchmark called `name` should run.
    func runs(_ name: String) -> Bool { selected.contains(name) }
}
