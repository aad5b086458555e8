import Troupe

/// What the driver does to one instance, drawn from the run's seed and the instance's index.
enum StressFault: Sendable, Hashable {
    case none
    /// Cancel it when it has published this many events (0: as soon as it starts).
    case cancel(afterEvents: Int)
    /// Pause it after this many events, yield this many times, then resume it.
    case pause(afterEvents: Int, yields: Int)
    /// Run it with the short deadline.
    case deadline

    /// The fault of instance `index`, and the seed of its chaos stream.
    static func draw(for index: Int, options: StressOptions) -> (fault: StressFault, seed: UInt64) {
        var draws = SeededDraws(seed: options.seed, index: UInt64(index))
        let seed = draws.next()
        let choice = draws.nextUnit()
        let events = Int(draws.next() % 6)
        let yields = 1 + Int(draws.next() % 8)
        if choice < options.cancelFraction { return (.cancel(afterEvents: events), seed) }
        if choice < options.cancelFraction + options.pauseFraction { return (.pause(afterEvents: events, yields: yields), seed) }
        if choice < options.cancelFraction + options.pauseFraction + options.deadlineFraction { return (.deadline, seed) }
        return (.none, seed)
    }
}
