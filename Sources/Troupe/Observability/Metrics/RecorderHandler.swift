/// One recorder of a ``MetricsSink`` (a histogram or a gauge), shaped like swift-metrics' `RecorderHandler`.
public protocol RecorderHandler: AnyObject, Sendable {
    /// Records an integer value.
    func record(_ value: Int64)
    /// Records a value.
    func record(_ value: Double)
}
