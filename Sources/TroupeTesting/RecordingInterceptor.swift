@_spi(Development) import Troupe

/// A node interceptor that records each call's node id and attempt under a label, for tests of ordering.
public final class RecordingInterceptor: NodeInterceptor {
    /// A shared, ordered record of what several interceptors saw.
    public final class Trace: Sendable {
        private let entries = LockedValue<[String]>([])

        /// Creates an empty trace.
        public init() {}

        /// Appends an entry.
        public func record(_ entry: String) { entries.withLock { $0.append(entry) } }

        /// Everything recorded, in order.
        public var recorded: [String] { entries.withLock { $0 } }
    }

    private let label: String
    private let trace: Trace

    /// Records `label>node` before the inner chain runs and `label<node` after it returns or throws.
    public init(_ label: String, trace: Trace) {
        self.label = label
        self.trace = trace
    }

    public func intercept(_ call: NodeCall, context: any NodeContext, next: any NodeHandler) async throws -> JSONValue {
        trace.record("\(label)>\(call.nodeID)")
        defer { trace.record("\(label)<\(call.nodeID)") }
        return try await next.handle(call, context: context)
    }
}
