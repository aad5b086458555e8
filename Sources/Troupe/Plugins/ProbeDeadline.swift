#if canImport(Glibc)
    import Glibc
#endif

/// When a vetting probe must have answered, on the monotonic clock.
struct ProbeDeadline {
    private let end: Double

    init(after duration: Duration) {
        let (whole, fraction) = duration.components
        end = Self.now() + Double(whole) + Double(fraction) / 1e18
    }

    /// Milliseconds left, at least 1, or `nil` once passed.
    func remainingMilliseconds() -> Int32? {
        let left = end - Self.now()
        return left > 0 ? Int32(min(left * 1000 + 1, 600_000)) : nil
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
