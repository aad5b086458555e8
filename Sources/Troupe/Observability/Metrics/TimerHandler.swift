/// One timer of a ``MetricsSink``, shaped like swift-metrics' `TimerHandler`.
public protocol TimerHandler: AnyObject, Sendable {
    /// Records a duration in nanoseconds.
    func recordNanoseconds(_ duration: Int64)
}
