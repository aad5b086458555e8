import Synchronization

/// The history ``RecordingInstanceActor`` keeps, as Troupe's compact event log keeps it: one small
/// record per event (what happened, to which node, a number, when), appended under a lock because
/// node actors append to their instance's log.
final class RecordingEventLog: Sendable {
    /// What an event says.
    enum Code: UInt8 {
        case instanceStarted, nodeStarted, nodeCompleted, completed
    }

    /// One event, numbered by its place in the log.
    struct Record {
        let code: Code
        let node: Int32
        /// The attempt of a `nodeStarted`, the nanoseconds of a `nodeCompleted` or `completed`.
        let number: Int64
        /// Nanoseconds since the log's origin.
        let offset: Int64
    }

    private let origin: ContinuousClock.Instant
    private let records: Mutex<[Record]>

    /// A log whose offsets count from `origin`, with room for `capacity` records.
    init(origin: ContinuousClock.Instant, capacity: Int) {
        self.origin = origin
        var records: [Record] = []
        records.reserveCapacity(capacity)
        self.records = Mutex(records)
    }

    /// Appends an event that happened at `instant`.
    func append(_ code: Code, node: Int32 = 0, number: Int64 = 0, at instant: ContinuousClock.Instant) {
        let offset = (instant - origin).wrappingNanoseconds
        records.withLock { $0.append(Record(code: code, node: node, number: number, offset: offset)) }
    }
}
