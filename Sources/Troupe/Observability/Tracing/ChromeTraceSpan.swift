import Foundation

/// A span kept by a ``ChromeTraceRecorder`` until the timeline is written.
final class ChromeTraceSpan: TraceSpan {
    struct Record: Sendable {
        var name: String
        var context: TraceContext
        var parent: TraceContext?
        var start: Date
        var end: Date?
        var attributes: [String: String]
        var errors: [String] = []
        var events: [(name: String, attributes: [String: String], time: Date)] = []
    }

    private let record: LockedValue<Record>

    init(_ record: Record) {
        self.record = LockedValue(record)
    }

    var snapshot: Record { record.withLock { $0 } }

    func setAttribute(_ name: String, _ value: String) {
        record.withLock { $0.attributes[name] = value }
    }

    func addEvent(_ name: String, attributes: [String: String], at time: Date) {
        record.withLock { $0.events.append((name, attributes, time)) }
    }

    func recordError(_ message: String) {
        record.withLock { $0.errors.append(message) }
    }

    func end(at time: Date) {
        record.withLock { $0.end = $0.end ?? time }
    }
}
