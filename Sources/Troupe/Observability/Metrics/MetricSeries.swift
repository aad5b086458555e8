/// One time series of a ``MetricsRegistry``: a counter, a gauge or a histogram, behind its own lock
/// so that handlers of different series never contend.
final class MetricSeries: CounterHandler, RecorderHandler, TimerHandler {
    /// What the series holds.
    enum Value: Sendable {
        case counter(Int64)
        case gauge(Double)
        /// Counts per bucket (not cumulative; the last is above every bound), the sum and the count.
        case histogram(buckets: [UInt64], sum: Double, count: UInt64)
    }

    /// The dimensions, in the order they were given.
    let dimensions: [(String, String)]
    /// The upper bounds of a histogram's buckets, ascending; empty for other series.
    let bounds: [Double]
    private let value: LockedValue<Value>

    init(dimensions: [(String, String)], value: Value, bounds: [Double] = []) {
        self.dimensions = dimensions
        self.bounds = bounds
        self.value = LockedValue(value)
    }

    /// The value now.
    var current: Value { value.withLock { $0 } }

    func increment(by amount: Int64) {
        value.withLock { value in
            guard case .counter(let count) = value else { return }
            value = .counter(count &+ max(0, amount))
        }
    }

    func reset() {
        value.withLock { value in
            if case .counter = value { value = .counter(0) }
        }
    }

    func record(_ sample: Int64) { record(Double(sample)) }

    func record(_ sample: Double) {
        value.withLock { value in
            switch value {
            case .counter:
                return
            case .gauge:
                value = .gauge(sample)
            case .histogram(var buckets, let sum, let count):
                // NaN lands in the last bucket, as `le="+Inf"` counts every observation.
                let index = bounds.firstIndex { sample <= $0 } ?? bounds.count
                buckets[index] += 1
                value = .histogram(buckets: buckets, sum: sum + sample, count: count + 1)
            }
        }
    }

    func recordNanoseconds(_ duration: Int64) { record(Double(duration) / 1e9) }
}
