import Foundation

/// Where the runtime's spans go, shaped like swift-distributed-tracing's `Tracer`: one span per
/// instance and one per node attempt, with the instance's pauses, skips and interceptor notes as events.
///
/// The runtime chooses each span's ``TraceContext`` (see ``TraceContext/child(_:)``), so that the
/// `TRACEPARENT` a `shell` node sees names its span. An adapter to swift-distributed-tracing
/// starts a span per call with the parent as its context; see the README.
public protocol TracingSink: Sendable {
    /// Starts a span named `operationName` at `time`, with `context`, below `parent` (none for a trace's root).
    func startSpan(
        _ operationName: String, context: TraceContext, parent: TraceContext?, attributes: [String: String], at time: Date
    ) -> any TraceSpan
}
