/// Runs numbered jobs with a fixed number in flight: a task group that starts the next job as one finishes.
struct SlidingWindow: Sendable {
    /// How many jobs run in all; job `i` gets input `i`.
    let count: Int
    /// How many jobs are in flight at once.
    let width: Int

    /// Runs every job, returning the wall time and how many results differed from `expected`.
    func run(
        _ job: @escaping @Sendable (Int) async -> Int?, expected: (Int) -> Int
    ) async -> (elapsed: Duration, wrong: Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let wrong = await withTaskGroup(of: (input: Int, output: Int?).self) { group in
            var next = 0
            func startNext() {
                let input = next
                next += 1
                group.addTask { (input, await job(input)) }
            }
            while next < min(width, count) { startNext() }
            var wrong = 0
            while let finished = await group.next() {
                if finished.output != expected(finished.input) { wrong += 1 }
                if next < count { startNext() }
            }
            return wrong
        }
        return (clock.now - start, wrong)
    }
}
