/// Where the runtime's metrics go, shaped like swift-metrics' `MetricsFactory`: it makes a handler
/// per metric label and dimensions, and the runtime keeps and feeds the handlers.
///
/// ``MetricsRegistry`` is the built-in sink. To send the metrics to swift-metrics (and so to any of
/// its backends), an adapter of a few lines forwards each `make…` to `MetricsSystem.factory` and each
/// handler call to the handler it returns; see the README.
public protocol MetricsSink: Sendable {
    /// A counter: a value that only goes up (`increment`), until `reset`.
    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler
    /// A recorder: with `aggregate`, a distribution of values (a histogram); without, the last value (a gauge).
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler
    /// A timer: a distribution of durations.
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler
    /// Says what the metric `label` measures, for sinks that publish it (Prometheus' `# HELP`); optional.
    func describe(label: String, help: String)
}

extension MetricsSink {
    /// Sinks without descriptions (swift-metrics has none) ignore them.
    public func describe(label: String, help: String) {}
}
