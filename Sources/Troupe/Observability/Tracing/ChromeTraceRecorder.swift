import Foundation

/// A ``TracingSink`` that keeps every span and writes them as a Chrome Trace Event timeline
/// (``chromeTraceJSON()``), which Perfetto and chrome://tracing open.
///
/// Each instance is a process (`pid` = its id) whose first lane shows the instance; each node has
/// its own lane, so one node's attempts follow each other and never overlap. Every attempt is a
/// complete (`X`) event with its status, kind and error; retries, skips, pauses, cancels and
/// interceptor notes are instant (`i`) events. Get one attached with ``WorkflowRuntime/recordTrace()``.
///
/// It keeps every span for as long as it lives: for a run or a test, not for a host that runs for
/// months (attach a ``TracingSink`` that exports instead).
public final class ChromeTraceRecorder: TracingSink {
    private let spans = LockedValue<[ChromeTraceSpan]>([])

    /// Creates an empty recorder; attach it with ``WorkflowRuntime/attach(tracing:)``.
    public init() {}

    public func startSpan(
        _ operationName: String, context: TraceContext, parent: TraceContext?, attributes: [String: String], at time: Date
    ) -> any TraceSpan {
        let span = ChromeTraceSpan(.init(name: operationName, context: context, parent: parent, start: time, attributes: attributes))
        spans.withLock { $0.append(span) }
        return span
    }

    /// The timeline as a Chrome Trace Event JSON object (`{"traceEvents": […]}`); spans still open end at the latest time seen.
    public func chromeTraceJSON() -> JSONValue {
        let records = spans.withLock { $0 }.map(\.snapshot)
        guard let origin = records.map(\.start).min() else { return ["traceEvents": [], "displayTimeUnit": "ms"] }
        let latest = records.flatMap { [$0.start, $0.end ?? $0.start] + $0.events.map(\.time) }.max() ?? origin
        func microseconds(_ time: Date) -> JSONValue { .double(((time.timeIntervalSince(origin)) * 1e6).rounded()) }
        var events: [JSONValue] = []
        var lanes: [String: [String: Int]] = [:]
        var named: Set<String> = []
        // The instance's number is its process id (`i7` is process 7).
        func process(_ record: ChromeTraceSpan.Record) -> Int { Int((record.attributes["troupe.instance"] ?? "").drop { !$0.isNumber }) ?? 0 }
        func lane(_ pid: Int, _ node: String?) -> Int {
            guard let node else { return 0 }
            if let tid = lanes["\(pid)"]?[node] { return tid }
            let tid = (lanes["\(pid)"]?.count ?? 0) + 1
            lanes["\(pid)", default: [:]][node] = tid
            events.append(["ph": "M", "name": "thread_name", "pid": .integer(pid), "tid": .integer(tid), "args": ["name": .string(node)]])
            events.append(["ph": "M", "name": "thread_sort_index", "pid": .integer(pid), "tid": .integer(tid), "args": ["sort_index": .integer(tid)]])
            return tid
        }
        let ordered = records.sorted { $0.start < $1.start }
        // Lanes in the order nodes first started, before the instance's events name any node.
        for record in ordered { _ = lane(process(record), record.attributes["troupe.node"]) }
        for record in ordered {
            let pid = process(record)
            let node = record.attributes["troupe.node"]
            if named.insert("\(pid)").inserted {
                let workflow = record.attributes["troupe.workflow"] ?? "?"
                events.append(["ph": "M", "name": "process_name", "pid": .integer(pid), "args": ["name": .string("\(workflow) #\(pid)")]])
                events.append(["ph": "M", "name": "thread_name", "pid": .integer(pid), "tid": 0, "args": ["name": "instance"]])
            }
            let tid = lane(pid, node)
            var args: [String: JSONValue] = [:]
            for (name, value) in record.attributes where name.hasPrefix("troupe.") { args[String(name.dropFirst("troupe.".count))] = .string(value) }
            args["traceparent"] = .string(record.context.traceparent)
            if let parent = record.parent { args["parent"] = .string(parent.traceparent) }
            if !record.errors.isEmpty { args["error"] = .string(record.errors.joined(separator: "; ")) }
            let end = record.end ?? latest
            events.append([
                "ph": "X", "name": .string(record.name), "cat": .string(node == nil ? "instance" : record.attributes["troupe.kind"] ?? "node"),
                "pid": .integer(pid), "tid": .integer(tid), "ts": microseconds(record.start),
                "dur": .double(max(0, (end.timeIntervalSince(record.start) * 1e6).rounded())), "args": .object(args),
            ])
            for event in record.events {
                let eventTid = lane(pid, event.attributes["troupe.node"] ?? node)
                var eventArgs: [String: JSONValue] = [:]
                for (name, value) in event.attributes where name != "troupe.node" { eventArgs[name] = .string(value) }
                events.append([
                    "ph": "i", "s": "t", "name": .string(event.name), "cat": "event", "pid": .integer(pid), "tid": .integer(eventTid),
                    "ts": microseconds(event.time), "args": .object(eventArgs),
                ])
            }
        }
        return ["traceEvents": .array(events), "displayTimeUnit": "ms"]
    }
}
