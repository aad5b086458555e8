/// A claimed run read back from the store, ready to start again: what `recover()` gathers for
/// every run before it starts any.
struct ResumableRun: Sendable {
    /// The run as claimed.
    let record: RunRecord
    /// The durable workflow it runs, with what is left of its deadline.
    let workflow: PreparedWorkflow
    /// Its journal entry: next history number, attempt bases and due times.
    let run: JournaledRun
    /// The reports of the nodes it completed before, by index.
    let restored: [Int: NodeReport]
}
