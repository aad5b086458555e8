import Synchronization

/// A runtime's metrics, traces and diagnostics: what observes its events and plugin lifecycle.
/// Nothing is attached until a host asks, so a runtime without observers pays one atomic load per event.
final class RuntimeObservability: Sendable {
    let observers = EventObservers()
    let kinds = NodeKinds()
    private let builtIn = LockedValue<MetricsRegistry?>(nil)
    /// Set once the first tracer is attached; until then instances get no trace context.
    private let tracing = LockedValue<TraceContexts?>(nil)
    /// Whether `tracing` is set, read without the lock on every instance start.
    private let traced = Atomic<Bool>(false)
    /// Where interceptor entries and exits go for workflows prepared from now on, if anywhere.
    let crossings = LockedValue<(@Sendable (InterceptorCrossing) -> Void)?>(nil)

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

    func attach(tracing sink: any TracingSink) {
        let contexts = tracing.withLock { tracing in
            if let tracing { return tracing }
            let made = TraceContexts()
            // Before the tracer, so that it forgets an instance only after every tracer saw its end.
            observers.add(made)
            tracing = made
            traced.store(true, ordering: .releasing)
            return made
        }
        observers.add(RuntimeTracing(sink: sink, kinds: kinds, contexts: contexts))
    }

    /// The metadata instance `id` starts with: with a tracer attached, its `traceparent` names the instance's span.
    func metadata(_ metadata: [String: String], of id: InstanceID) -> [String: String] {
        guard traced.load(ordering: .acquiring), let contexts = tracing.withLock({ $0 }) else { return metadata }
        return contexts.begin(id, metadata: metadata)
    }

    /// `chain` with each interceptor reporting its entries and exits, when someone asked for them.
    func reporting(_ chain: [any NodeInterceptor]) -> [any NodeInterceptor] {
        guard let report = crossings.load() else { return chain }
        return chain.enumerated().map { index, interceptor in
            ReportingInterceptor(
                inner: interceptor, name: ReportingInterceptor.name(of: interceptor), position: index + 1, chainLength: chain.count, report: report)
        }
    }
}
