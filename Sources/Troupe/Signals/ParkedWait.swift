/// What parked at a `wait` or `sleep` node with no task (an instance): told once, from whichever
/// thread delivers the signal, fires the timer or ends the wait, how the wait ended.
///
/// A protocol rather than a closure, so that a parked wait holds a reference to its instance and
/// no closure context besides.
protocol ParkedWait: AnyObject, Sendable {
    /// The wait ended: with the signal's value or the sleep's output, or with the error that ended it.
    func waitEnded(_ received: Result<JSONValue, any Error>)

    /// The mailbox has just recorded `kind` (`nodeWaiting`, or `nodeSignalled` before
    /// ``waitEnded(_:)``) of the parked `wait` node `node` in the live events: a durable run's
    /// history records it there too.
    func recorded(_ kind: String, node: String, signal: String)
}
