/// SplitMix64 from (seed, index): the driver's choices for one instance, the same in every run with that seed.
struct SeededDraws {
    private var state: UInt64

    init(seed: UInt64, index: UInt64) {
        state = Self.mix(Self.mix(seed) ^ index)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        return Self.mix(state)
    }

    /// Uniform in `0..<1`.
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
