/// The time per node call with no interceptor, and with legacy no-op middleware against native no-op interceptors.
struct LegacyResult: Sendable {
    /// The fastest round's nanoseconds per node call without interceptors.
    let none: Double
    /// One comparison per count, in the order measured.
    let comparisons: [LegacyComparison]

    /// The nanoseconds per node call `comparison`'s native interceptors add to none.
    func addedByNative(_ comparison: LegacyComparison) -> Double { comparison.native - none }
    /// The nanoseconds per node call `comparison`'s legacy middleware add to none.
    func addedByLegacy(_ comparison: LegacyComparison) -> Double { comparison.legacy - none }
    /// What `comparison`'s legacy middleware add over what its native interceptors add.
    func ratio(_ comparison: LegacyComparison) -> Double { addedByLegacy(comparison) / addedByNative(comparison) }
}
