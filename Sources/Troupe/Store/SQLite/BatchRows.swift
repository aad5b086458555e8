/// The rows of one transaction, gathered from its jobs before they are written: a node attempt
/// written twice in the batch (as it started, then as it ended, when the node was quicker than a
/// commit) becomes one row write, the second merged into the first, as the upsert would leave it.
/// A start is encoded only when no later write of its attempt in the batch carries it.
/// The writer thread keeps one across transactions so that its buffers are reused; a leading commit makes its own.
struct BatchRows {
    private struct AttemptKey: Hashable {
        let runID: String
        let nodeID: String
        let attempt: Int
    }

    /// Where one write of the batch is: in a job's writes, left there rather than copied (a copy
    /// retains each of its strings), among the starts submitted alone, or among the merges made here.
    private enum Slot {
        case job(Int, Int)
        case start(Int)
        case completion(Int)
        case merged(Int)
    }

    private var jobs: [[EncodedWrite]] = []
    private var starts: [NodeAttemptStart] = []
    private var completions: [EncodedWrite.Completion] = []
    private var merges: [EncodedWrite] = []
    private var slots: [Slot] = []
    /// The slot of each attempt's row.
    private var attemptRows: [AttemptKey: Int] = [:]

    /// Adds a job's writes, merging attempts already in the batch.
    mutating func add(_ jobWrites: [EncodedWrite]) {
        let job = jobs.count
        jobs.append(jobWrites)
        for position in jobWrites.indices {
            guard let key = Self.key(of: jobWrites[position]) else {
                slots.append(.job(job, position))
                continue
            }
            guard let slot = attemptRows[key] else {
                attemptRows[key] = slots.count
                slots.append(.job(job, position))
                continue
            }
            place(Self.merge(write(at: slots[slot]), followedBy: jobWrites[position]), at: slot, later: .job(job, position))
        }
    }

    /// Puts what a merge left in the earlier write's slot, `later` being where the later write lies.
    private mutating func place(_ merge: Merge, at slot: Int, later: Slot) {
        // Only attempt writes touch `node_attempts` here, so writing the merged row in the
        // first one's place leaves what the two in order would.
        switch merge {
        case .later: slots[slot] = later
        case .made(let merged):
            slots[slot] = .merged(merges.count)
            merges.append(merged)
        }
    }

    /// Adds a start submitted alone, merging it with a write of its attempt already in the batch.
    mutating func add(_ start: NodeAttemptStart) {
        let key = AttemptKey(runID: start.runID.rawValue, nodeID: start.nodeID, attempt: start.attempt)
        guard let slot = attemptRows[key] else {
            attemptRows[key] = slots.count
            slots.append(.start(starts.count))
            starts.append(start)
            return
        }
        // A start after another write of its attempt in the batch (the journal never submits one) merges as any write would.
        let merge = Self.merge(write(at: slots[slot]), followedBy: .attemptStart(start))
        if case .later = merge { starts.append(start) }
        place(merge, at: slot, later: .start(starts.count - 1))
    }

    /// Adds a completion: it carries its attempt's whole row, its start's entry too, so it takes
    /// the place of a write of its attempt already in the batch, as the upsert of the two would leave the row.
    mutating func add(_ completion: EncodedWrite.Completion) {
        let start = completion.start
        let key = AttemptKey(runID: start.runID.rawValue, nodeID: start.nodeID, attempt: start.attempt)
        let slot = Slot.completion(completions.count)
        completions.append(completion)
        guard let earlier = attemptRows[key] else {
            attemptRows[key] = slots.count
            slots.append(slot)
            return
        }
        slots[earlier] = slot
    }

    /// Writes what was added, in order, and starts over.
    mutating func apply(on connection: SQLiteConnection) throws(StoreError) {
        defer { removeAll() }
        for index in slots.indices {
            // A completion is bound as it is, with no row made for it.
            if case .completion(let completion) = slots[index] {
                try Self.apply(completions[completion], on: connection)
            } else {
                try Self.apply(write(at: slots[index]), on: connection)
            }
        }
    }

    /// Forgets what was added (its transaction failed).
    mutating func removeAll() {
        jobs.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        completions.removeAll(keepingCapacity: true)
        merges.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        attemptRows.removeAll(keepingCapacity: true)
    }

    private func write(at slot: Slot) -> EncodedWrite {
        switch slot {
        case .job(let job, let position): jobs[job][position]
        case .start(let index): .attemptStart(starts[index])
        case .completion(let index): .attempt(completions[index].attempt)
        case .merged(let index): merges[index]
        }
    }

    /// The attempt row `write` writes, if it writes one.
    private static func key(of write: EncodedWrite) -> AttemptKey? {
        switch write {
        case .attempt(let attempt): AttemptKey(runID: attempt.runID, nodeID: attempt.nodeID, attempt: attempt.attempt)
        case .attemptStart(let start): AttemptKey(runID: start.runID.rawValue, nodeID: start.nodeID, attempt: start.attempt)
        default: nil
        }
    }

    /// Two writes of one attempt's row as one: nearly always the later alone, an end whose write
    /// carries the attempt's start as well.
    private enum Merge {
        case later
        case made(EncodedWrite)
    }

    private static func merge(_ earlier: EncodedWrite, followedBy later: EncodedWrite) -> Merge {
        // Switched on one at a time: a tuple of the two would copy both.
        switch later {
        case .attempt(let later):
            switch earlier {
            case .attemptStart(let start):
                return later.start != nil ? .later : .made(.attempt(.start(start, followedBy: later)))
            case .attempt(let earlier):
                let same = (later.start != nil || earlier.start == nil) && (later.end != nil || earlier.end == nil)
                return same ? .later : .made(.attempt(earlier.followed(by: later)))
            default:
                preconditionFailure("a batch's attempt row indexes a write of another table")
            }
        case .attemptStart(let start):
            // A start after another write of its attempt (the journal numbers each start anew, but
            // a store does not rely on it) merges as the full row.
            guard case .attempt(let earlier) = earlier else { return .later }
            return .made(.attempt(earlier.followed(by: EncodedWrite.Attempt(start.record))))
        default:
            preconditionFailure("only attempt writes are merged")
        }
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
        case .attemptStart(let start):
            // No later write of the batch carried it.
            try apply(.attempt(EncodedWrite.Attempt(start.record)), on: connection)
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

    private static func apply(_ completion: EncodedWrite.Completion, on connection: SQLiteConnection) throws(StoreError) {
        let statement = try connection.statement(.upsertAttempt)
        let start = completion.start
        let details = EncodedWrite.json(NodeAttemptStart.details(start.attempt))
        let startedAt = start.startedAt.timeIntervalSince1970
        statement.bind(1, start.runID.rawValue)
        statement.bind(2, start.nodeID)
        statement.bind(3, start.attempt)
        statement.bind(4, NodeStatus.completed.rawValue)
        statement.bind(5, startedAt)
        statement.bind(6, completion.endedAt)
        statement.bind(7, completion.output)
        // 8 to 11 stay NULL: no error, no next attempt, no child run.
        bind(EncodedWrite.Event(sequence: start.sequence, date: startedAt, kind: "nodeStarted", details: details), from: 12, on: statement)
        bind(EncodedWrite.Event(sequence: completion.sequence, date: completion.endedAt, kind: "nodeCompleted", details: details), from: 16, on: statement)
        try statement.run()
    }

    private static func bind(_ event: EncodedWrite.Event, from first: Int32, on statement: SQLiteStatement) {
        statement.bind(first, event.sequence)
        statement.bind(first + 1, event.date)
        statement.bind(first + 2, event.kind)
        statement.bind(first + 3, event.details)
    }
}
