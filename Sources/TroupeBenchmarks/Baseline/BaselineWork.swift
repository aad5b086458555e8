/// The work of every hand-written baseline's node, as Troupe's ``AddNode`` does it: one more than its input.
enum BaselineWork {
    /// One node's work.
    @inline(never)
    static func add(_ value: Int) -> Int { value + 1 }

    /// ``add(_:)`` as a synchronous node body.
    static let synchronous: @Sendable (Int) -> Int = { add($0) }

    /// ``add(_:)`` as an async node body, as a node that does I/O would be.
    static let asynchronous: @Sendable (Int) async -> Int = { add($0) }
}
