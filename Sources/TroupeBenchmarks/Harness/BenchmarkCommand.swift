/// The `troupe-bench` command: parses the arguments and runs the suite.
enum BenchmarkCommand {
    /// Runs the command and returns its exit status: 0, 1 when a benchmark failed, 2 for bad arguments.
    @concurrent
    static func main(arguments: [String]) async -> Int32 {
        let options: BenchmarkOptions
        do {
            options = try BenchmarkOptions(arguments: arguments)
        } catch {
            if let message = error.message { print("troupe-bench: \(message)") }
            print(BenchmarkOptions.usage)
            return error.message == nil ? 0 : 2
        }
        do {
            try await BenchmarkSuite(options: options).run()
            return 0
        } catch {
            print("troupe-bench: \(error)")
            return 1
        }
    }
}
