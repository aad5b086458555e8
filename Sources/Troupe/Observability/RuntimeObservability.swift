/// A runtime's metrics, traces and diagnostics: what observes its events and plugin lifecycle.
/// Nothing is attached until a host asks, so a runtime without observers pays one atomic load per event.
final class RuntimeObservability: Sendable {
    let observers = EventObservers()
    let kinds = NodeKinds()
    private let builtIn = LockedValue<MetricsRegistry?>(nil)

    /// The built-in registry, attached to `registry`'s plugin lifecycle and the events on first use.
    func builtInMetrics(registry: Registry) -> MetricsRegistry {
        builtIn.withLock { builtIn in
            if let builtIn { return builtIn }
            let made = MetricsRegistry()
            attach(metrics: made, registry: registry)
            builtIn = made
            return made
        }
    }

    func attach(metrics sink: any MetricsSink, registry: Registry) {
        let metrics = RuntimeMetrics(sink: sink, kinds: kinds)
        observers.add(metrics)
        registry.lifecycle.observe { metrics.observe($0) }
    }
}
