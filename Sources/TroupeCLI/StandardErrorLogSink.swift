import Troupe

/// The runtime's diagnostics on standard error, one line each, for `troupe run --verbose`.
struct StandardErrorLogSink: LogSink {
    /// Messages below it are not written.
    let logLevel: LogLevel

    func log(level: LogLevel, message: String, metadata: [String: String], source: String, file: String, function: String, line: UInt) {
        Console.error("· \(source) \(level): \(message)")
    }
}
