/// A chain without a runtime: one task calls the node function once per node, in sequence.
enum BaselineChain {
    /// Runs one chain instance in the calling task.
    static func run(input: Int, length: Int) -> Int {
        var value = input
        for _ in 0..<length { value = add(value) }
        return value
    }

    /// One node's work.
    @inline(never)
    static func add(_ value: Int) -> Int { value + 1 }
}
