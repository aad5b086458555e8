extension NodeCall {
    /// A durable run's key for this call's side effects, `RUN/NODE` (inside a child workflow
    /// `RUN/NODE/CHILDNODE`), the same when the node runs again after a crash; `nil` outside durable runs.
    public var idempotencyKey: String? { RunJournal.idempotencyKey(of: self) }
}
