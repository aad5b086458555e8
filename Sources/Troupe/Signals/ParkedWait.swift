/// What parked at a `wait` node with no task (an instance): told once, from whichever thread
/// delivers the signal or ends the wait, how the wait ended.
///
/// A protocol rather than a closure, so that a parked wait holds a reference to its instance and
/// no closure context besides.
protocol ParkedWait: AnyObject, Sendable {
    /// The wait ended: with the signal's value, or with the error that ended it.
    func waitEnded(_ received: Result<JSONValue, any Error>)
}
