/// A diamond without a runtime: the start adds, a task group runs one child task per branch, the join adds the sum.
enum BaselineDiamond {
    /// Runs one diamond instance with every branch computing at once.
    static func run(input: Int, branches: Int) async -> Int {
        let start = add(input)
        let sum = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<branches { group.addTask { add(start) } }
            return await group.reduce(0, +)
        }
        return add(sum)
    }

    /// Runs one diamond instance whose branches first wait at `gate`.
    static func run(input: Int, branches: Int, gate: Gate) async -> Int {
        let start = add(input)
        let sum = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<branches {
                group.addTask {
                    await gate.wait()
                    return add(start)
                }
            }
            return await group.reduce(0, +)
        }
        return add(sum)
    }

    /// One node's work.
    @inline(never)
    static func add(_ value: Int) -> Int { value + 1 }
}
