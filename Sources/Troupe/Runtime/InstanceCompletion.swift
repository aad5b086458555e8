/// An instance's result once it has ended, and the tasks awaiting it, each of which may stop
/// waiting when it is cancelled without affecting the instance.
///
/// Kept under its ``InstanceControl``'s lock rather than a lock of its own: an instance then holds
/// one locked state for both (a parked instance is mostly made of what it holds while it waits).
struct InstanceCompletion {
    /// A task awaiting the end: for the result, or only for the end itself.
    enum Waiter {
        case result(CheckedContinuation<WorkflowResult, any Error>)
        case end(CheckedContinuation<Void, Never>)
    }

    /// Boxed: a running instance's completion then holds a pointer, not a result's layout.
    var result: HeapBox<WorkflowResult>?
    var waiters: [UInt64: Waiter] = [:]
    /// Waiters cancelled before their continuation was stored: it must not be stored afterwards.
    var cancelled: Set<UInt64> = []
    var nextToken: UInt64 = 0
}
