/// One counter of a ``MetricsSink``, shaped like swift-metrics' `CounterHandler`.
public protocol CounterHandler: AnyObject, Sendable {
    /// Adds `amount` (not negative).
    func increment(by amount: Int64)
    /// Sets the counter back to zero.
    func reset()
}
