/// A benchmark that could not produce a trustworthy number, such as one whose workflows returned wrong results.
struct BenchmarkFailure: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String
}
