/// Resident memory per suspended diamond instance, in Troupe and in the baseline.
struct MemoryResult: Sendable {
    /// How many instances were suspended at once.
    let instances: Int
    /// Troupe's resident bytes per suspended instance.
    let troupe: Double
    /// The baseline's resident bytes per suspended instance.
    let baseline: Double
    /// The resident bytes per suspended instance of the actor design by hand with Troupe's records.
    let handWritten: Double

    /// Troupe's bytes over the baseline's; at most 1 Troupe is as small.
    var ratio: Double { troupe / baseline }
}
