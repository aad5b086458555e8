/// The time per node call of each interceptor variant.
struct InterceptorResult: Sendable {
    /// The fastest round's nanoseconds per node call, by variant.
    let nanosecondsPerNode: [InterceptorVariant: Double]
    /// The fastest round's nanoseconds per node call of the hand-written design with Troupe's records.
    let handWritten: Double

    /// The nanoseconds per node call that `variant` adds to the variant without interceptors.
    func added(by variant: InterceptorVariant) -> Double {
        nanosecondsPerNode[variant, default: 0] - nanosecondsPerNode[.none, default: 0]
    }
}
