/// Where the runtime's own diagnostics go (plugin loads, failures and reloads), shaped like
/// swift-log's `LogHandler`, so that an adapter of a few lines forwards them to a swift-log `Logger`.
///
/// The runtime is silent until one is attached with ``WorkflowRuntime/attach(logging:)``.
public protocol LogSink: Sendable {
    /// Messages below this level are not sent.
    var logLevel: LogLevel { get }

    /// Logs one message; `source` is the runtime's part that logged it (`"plugins"`).
    func log(
        level: LogLevel, message: String, metadata: [String: String], source: String, file: String, function: String, line: UInt
    )
}
