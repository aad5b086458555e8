/// What a limiter does with a call over its limit.
public enum LimitMode: String, Sendable, Hashable {
    /// The call waits its turn, in arrival order, until it is admitted or cancelled.
    case wait
    /// The call fails at once with an error that says when to try again.
    case reject
}
