/// How much a log message matters, as swift-log's `Logger.Level`, least first.
public enum LogLevel: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// Step by step detail.
    case trace
    /// Detail for finding a problem.
    case debug
    /// Something normal happened.
    case info
    /// Something normal but worth noticing happened.
    case notice
    /// Something may be wrong.
    case warning
    /// Something failed.
    case error
    /// Something failed and the runtime cannot go on as asked.
    case critical

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .trace: return "trace"
        case .debug: return "debug"
        case .info: return "info"
        case .notice: return "notice"
        case .warning: return "warning"
        case .error: return "error"
        case .critical: return "critical"
        }
    }
}
