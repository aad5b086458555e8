/// The rows of one transaction, gathered from its jobs before they are written: a node attempt
/// written twice in the batch (as it started, then as it ended, when the node was quicker than a
/// commit) becomes one row write, the second merged into the first, as the upsert would leave it.
/// The writer thread keeps one across transactions so that its buffers are reused; a leading commit makes its own.
struct BatchRows {
    private struct AttemptKey: Hashable {
        let runID: String
        let nodeID: String
        let attempt: Int
    }

    private var writes: [EncodedWrite] = []
    private var attemptRows: [AttemptKey: Int] = [:]

    /// Adds a job's writes, merging attempts already in the batch.
    mutating func add(_ jobWrites: [EncodedWrite]) {
        // By index, as the writer walks its batch: a copy of each write would retain its strings.
        for position in jobWrites.indices {
            if case .attempt(let attempt) = jobWrites[position] {
                let key = AttemptKey(runID: attempt.runID, nodeID: attempt.nodeID, attempt: attempt.attempt)
                if let index = attemptRows[key], case .attempt(let earlier) = writes[index] {
                    // Only attempt writes touch `node_attempts` here, so writing the merged row in
                    // the first one's place leaves what the two in order would.
                    writes[index] = .attempt(earlier.followed(by: attempt))
                    continue
                }
                attemptRows[key] = writes.count
            }
            writes.append(jobWrites[position])
        }
    }

    /// Writes what was added, in order, and starts over.
    mutating func apply(on connection: SQLiteConnection) throws(StoreError) {
        defer { removeAll() }
        for index in writes.indices { try Self.apply(writes[index], on: connection) }
    }

    /// Forgets what was added (its transaction failed).
    mutating func removeAll() {
        writes.removeAll(keepingCapacity: true)
        attemptRows.removeAll(keepingCapacity: true)
    }

    private static func apply(_ write: EncodedWrite, on connection: SQLiteConnection) throws(StoreError) {
        switch write {
        case .attempt(let row):
            let statement = try connection.statement(.upsertAttempt)
            statement.bind(1, row.runID)
            statement.bind(2, row.nodeID)
            statement.bind(3, row.attempt)
            statement.bind(4, row.status)
            statement.bind(5, row.startedAt)
            statement.bind(6, row.endedAt)
            statement.bind(7, row.output)
            statement.bind(8, row.errorType)
            statement.bind(9, row.error)
            statement.bind(10, row.nextAttemptAt)
            statement.bind(11, row.childRunID)
            if let start = row.start { bind(start, from: 12, on: statement) }
            if let end = row.end { bind(end, from: 16, on: statement) }
            try statement.run()
        case .event(let runID, let nodeID, let event):
            let statement = try connection.statement(.insertEvent)
            statement.bind(1, runID)
            statement.bind(2, event.sequence)
            statement.bind(3, event.date)
            statement.bind(4, event.kind)
            statement.bind(5, nodeID)
            statement.bind(6, event.details)
            try statement.run()
        case .status(let runID, let status, let output, let error, let errorType, let date, let ends):
            let statement = try connection.statement(.updateStatus)
            statement.bind(1, status)
            statement.bind(2, output)
            statement.bind(3, error)
            statement.bind(4, errorType)
            statement.bind(5, date)
            statement.bind(6, ends ? 1 : 0)
            statement.bind(7, runID)
            try statement.run()
        case .request(let runID, let request):
            let statement = try connection.statement(.updateRequest)
            statement.bind(1, request)
            statement.bind(2, runID)
            try statement.run()
        case .clearRequest(let runID, let request):
            let statement = try connection.statement(.clearRequest)
            statement.bind(1, runID)
            statement.bind(2, request)
            try statement.run()
        case .signal(let id, let runID, let name, let value, let sentAt, let status):
            let statement = try connection.statement(.insertSignal)
            statement.bind(1, id)
            statement.bind(2, runID)
            statement.bind(3, name)
            statement.bind(4, value)
            statement.bind(5, sentAt)
            statement.bind(6, status)
            try statement.run()
        case .signalStatus(let id, let status):
            let statement = try connection.statement(.updateSignalStatus)
            statement.bind(1, status)
            statement.bind(2, id)
            try statement.run()
        }
    }

    private static func bind(_ event: EncodedWrite.Event, from first: Int32, on statement: SQLiteStatement) {
        statement.bind(first, event.sequence)
        statement.bind(first + 1, event.date)
        statement.bind(first + 2, event.kind)
        statement.bind(first + 3, event.details)
    }
}
