/// What a node was when its instance stopped it (``NodeActor/stop()``).
enum StoppedNode {
    /// It had not started: its pipeline never runs.
    case pending
    /// It was running: its code is no longer awaited, and what it returns later changes nothing.
    case running

    /// The error its report carries.
    var message: String {
        switch self {
        case .pending: return "cancelled before it started"
        case .running: return "cancelled while running; its code had not stopped and is no longer awaited"
        }
    }
}
