/// What the journal hands a store in one step: writes, or a node's completion as it is (nearly
/// every node's end), which the SQLite store takes without making a record and an array of one write for it.
enum JournalWrite: Sendable {
    /// Writes, as ``RunStore/submit(_:)`` takes them.
    case writes([StoreWrite])
    /// A completion, written as `.attempt(completion.record)` would be.
    case completion(NodeAttemptCompletion)

    /// The writes a store takes through ``RunStore``.
    var storeWrites: [StoreWrite] {
        switch self {
        case .writes(let writes): writes
        case .completion(let completion): [.attempt(completion.record)]
        }
    }
}
