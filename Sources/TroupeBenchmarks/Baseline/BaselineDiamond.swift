/// A diamond without a runtime: the start adds, a task group runs one child task per branch, the join adds the sum.
enum BaselineDiamond {
    /// Runs one diamond instance with every branch computing at once, each node an async closure.
    static func run(input: Int, branches: Int, body: @escaping @Sendable (Int) async -> Int) async -> Int {
        let start = await body(input)
        let sum = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<branches { group.addTask { await body(start) } }
            return await group.reduce(0, +)
        }
        return await body(sum)
    }

    /// Runs one diamond instance whose branches first wait at `gate`.
    static func run(input: Int, branches: Int, gate: Gate) async -> Int {
        let start = BaselineWork.add(input)
        let sum = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<branches {
                group.addTask {
                    await gate.wait()
                    return BaselineWork.add(start)
                }
            }
            return await group.reduce(0, +)
        }
        return BaselineWork.add(sum)
    }
}
