/// A command line `troupe-bench` cannot run with, or a request for help (no message).
struct BenchmarkOptionsError: Error {
    /// What was wrong; `nil` when the user asked for `--help`.
    let message: String?
}
