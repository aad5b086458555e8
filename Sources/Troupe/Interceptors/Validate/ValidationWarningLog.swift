/// The latest warnings of every non-strict `validate` interceptor of a runtime, kept until a host
/// reads them with ``drain()``: ``WorkflowRuntime/validationWarnings``.
///
/// Until the runtime has a warning event, this is where they show. It keeps at most `capacity`,
/// dropping the oldest, so a host that never reads it holds a bounded amount.
public final class ValidationWarningLog: Sendable {
    private struct Contents {
        var warnings: [ValidationWarning] = []
        var dropped = 0
    }

    /// The most warnings kept.
    public let capacity: Int
    private let contents = LockedValue(Contents())

    /// Creates an empty log that keeps at most `capacity` warnings (below 1 counts as 1).
    public init(capacity: Int = 1000) {
        self.capacity = max(1, capacity)
    }

    /// The warnings kept now, oldest first.
    public var recorded: [ValidationWarning] { contents.withLock { $0.warnings } }

    /// How many warnings were dropped, the oldest first, to stay within `capacity`.
    public var dropped: Int { contents.withLock { $0.dropped } }

    /// Returns the warnings kept, oldest first, and forgets them.
    public func drain() -> [ValidationWarning] {
        contents.withLock { contents in
            defer { contents.warnings = [] }
            return contents.warnings
        }
    }

    /// Keeps `warning`.
    func record(_ warning: ValidationWarning) {
        contents.withLock { contents in
            if contents.warnings.count == capacity {
                contents.warnings.removeFirst()
                contents.dropped += 1
            }
            contents.warnings.append(warning)
        }
    }
}
