import Foundation

/// One span of a ``TracingSink``, shaped like swift-distributed-tracing's `Span`.
///
/// The runtime calls it from one event at a time per instance; calls after ``end(at:)`` are not made.
public protocol TraceSpan: AnyObject, Sendable {
    /// Sets an attribute.
    func setAttribute(_ name: String, _ value: String)
    /// Records something that happened during the span at `time`.
    func addEvent(_ name: String, attributes: [String: String], at time: Date)
    /// Records that the span's work failed with `message`.
    func recordError(_ message: String)
    /// Ends the span at `time`.
    func end(at time: Date)
}
