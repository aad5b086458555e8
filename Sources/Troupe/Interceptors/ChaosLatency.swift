import Foundation

/// The delay the `chaos` interceptor adds before a node's call: one of three distributions.
public enum ChaosLatency: Sendable, Hashable {
    /// Always the same delay.
    case fixed(Duration)
    /// A delay drawn evenly from a closed range.
    case uniform(ClosedRange<Duration>)
    /// A delay drawn from an exponential distribution with this mean, as arrival gaps are.
    case exponential(mean: Duration)

    /// The delay for a uniform draw `unit` in `0..<1`.
    func delay(forUnit unit: Double) -> Duration {
        switch self {
        case .fixed(let delay):
            return delay
        case .uniform(let range):
            let low = range.lowerBound.seconds
            return Duration(clampingSeconds: low + unit * (range.upperBound.seconds - low))
        case .exponential(let mean):
            // Inverse transform: 1 - unit is in (0, 1], so the logarithm is finite.
            return Duration(clampingSeconds: -mean.seconds * Foundation.log(1 - unit))
        }
    }
}
