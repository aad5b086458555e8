/// The random numbers of one call of one node: SplitMix64 seeded from (seed, instance, node, attempt),
/// so the same call draws the same numbers in every run, whatever ran beside it.
struct ChaosStream {
    private var state: UInt64

    init(seed: UInt64, instance: UInt64, node: String, attempt: Int) {
        // FNV-1a, not `Hasher`: Swift seeds its hasher at random per process, which would break replays.
        var nodeHash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in node.utf8 { nodeHash = (nodeHash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var state = Self.mix(seed)
        state = Self.mix(state ^ instance)
        state = Self.mix(state ^ nodeHash)
        self.state = Self.mix(state ^ UInt64(truncatingIfNeeded: attempt))
    }

    /// The next draw, uniform in `0..<1`, from the top 53 bits.
    mutating func nextUnit() -> Double {
        state &+= 0x9e37_79b9_7f4a_7c15
        return Double(Self.mix(state) >> 11) * 0x1p-53
    }

    /// SplitMix64's finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
