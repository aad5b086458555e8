import Foundation

/// A ``StoreWrite`` in the form SQLite binds: JSON as text, dates as seconds since 1970. Made on the
/// caller's thread by ``SQLiteRunStore/commit(_:)`` and ``SQLiteRunStore/submit(_:)``, so that the
/// single writer thread, which every durable node waits on, only binds and steps.
enum EncodedWrite: Sendable {
    /// One history entry's columns.
    struct Event: Sendable {
        var sequence: Int
        var date: Double
        var kind: String
        var details: String

        init(sequence: Int, date: Double, kind: String, details: String) {
            self.sequence = sequence
            self.date = date
            self.kind = kind
            self.details = details
        }

        init(_ event: RunEventRecord) {
            sequence = event.sequence
            date = event.date.timeIntervalSince1970
            kind = event.kind
            details = EncodedWrite.json(event.details)
        }
    }

    /// One node attempt's row, with the history entries of its start and end.
    struct Attempt: Sendable {
        var runID: String
        var nodeID: String
        var attempt: Int
        var status: String
        var startedAt: Double
        var endedAt: Double?
        var output: String?
        var errorType: String?
        var error: String?
        var nextAttemptAt: Double?
        var childRunID: String?
        var start: Event?
        var end: Event?

        init(_ record: NodeAttemptRecord) {
            runID = record.runID.rawValue
            nodeID = record.nodeID
            attempt = record.attempt
            status = record.status.rawValue
            startedAt = record.startedAt.timeIntervalSince1970
            endedAt = record.endedAt?.timeIntervalSince1970
            output = record.output.map(EncodedWrite.json)
            errorType = record.errorType
            error = record.error
            nextAttemptAt = record.nextAttemptAt?.timeIntervalSince1970
            childRunID = record.childRunID?.rawValue
            start = record.startEvent.map(Event.init)
            end = record.endEvent.map(Event.init)
        }

        /// This write followed by `later` of the same row, as one write: what the row's upsert
        /// would leave (the later columns; an event the later write lacks kept from this one).
        func followed(by later: Attempt) -> Attempt {
            var merged = later
            if merged.start == nil { merged.start = start }
            if merged.end == nil { merged.end = end }
            return merged
        }

        /// `start`'s row followed by `later`, as ``followed(by:)`` merges them: nearly always
        /// `later` alone, whose write of the attempt's end carries the start's entry already.
        static func start(_ start: NodeAttemptStart, followedBy later: Attempt) -> Attempt {
            guard later.start == nil else { return later }
            return Attempt(start.record).followed(by: later)
        }
    }

    /// A node's completion with its start (``NodeAttemptCompletion``): its output encoded on the
    /// caller's thread, the rest bound as it is, its entries' details the first attempt's text or
    /// made on the writer for a later attempt.
    struct Completion: Sendable {
        var start: NodeAttemptStart
        var endedAt: Double
        var output: String
        var sequence: Int

        init(_ completion: NodeAttemptCompletion) {
            start = completion.start
            endedAt = completion.endedAt.timeIntervalSince1970
            output = EncodedWrite.json(completion.output)
            sequence = completion.sequence
        }

        /// The row as ``Attempt`` holds it, for a merge with another write of the attempt in the batch.
        var attempt: Attempt {
            var row = Attempt(start.record)
            row.status = NodeStatus.completed.rawValue
            row.endedAt = endedAt
            row.output = output
            row.end = Event(sequence: sequence, date: endedAt, kind: "nodeCompleted", details: EncodedWrite.json(NodeAttemptStart.details(start.attempt)))
            return row
        }
    }

    /// `value` as compact JSON, the text `JSONWriter` writes: the shapes the journal writes for
    /// every node and run (a number; an object of one number or plain string, as `{"attempt":1}`)
    /// are written directly, without the general writer's sorted keys and growing string.
    static func json(_ value: JSONValue) -> String {
        switch value {
        case .integer(let number):
            return String(number)
        case .object(let members) where members.count == 1:
            guard let (key, member) = members.first else { break }
            // A first attempt's `{"attempt":1}`, in nearly every node's start and end: made once.
            if case .integer(1) = member, key == "attempt" { return firstAttemptDetails }
            guard isPlain(key) else { break }
            switch member {
            case .integer(let number): return "{\"" + key + "\":" + String(number) + "}"
            case .string(let text) where isPlain(text): return "{\"" + key + "\":\"" + text + "\"}"
            default: break
            }
        default:
            break
        }
        return JSONWriter.write(value, pretty: false)
    }

    private static let firstAttemptDetails = #"{"attempt":1}"#

    /// Whether `text` is written in JSON as it is, between quotes.
    private static func isPlain(_ text: String) -> Bool {
        !text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }

    case attempt(Attempt)
    /// Encoded only if the batch has no later write of the attempt (``BatchRows``).
    case attemptStart(NodeAttemptStart)
    case event(runID: String, nodeID: String?, Event)
    case status(runID: String, status: String, output: String?, error: String?, errorType: String?, date: Double, ends: Bool)
    case request(runID: String, request: String?)
    case clearRequest(runID: String, request: String)
    case signal(id: String, runID: String, name: String, value: String, sentAt: Double, status: String)
    case signalStatus(id: String, status: String)

    init(_ write: StoreWrite) {
        switch write {
        case .attempt(let attempt):
            self = .attempt(Attempt(attempt))
        case .attemptStart(let start):
            self = .attemptStart(start)
        case .event(let event):
            self = .event(runID: event.runID.rawValue, nodeID: event.nodeID, Event(event))
        case .status(let id, let status, let output, let error, let errorType, let date):
            self = .status(
                runID: id.rawValue, status: status.rawValue, output: output.map(EncodedWrite.json), error: error,
                errorType: errorType, date: date.timeIntervalSince1970, ends: status.isTerminal)
        case .request(let id, let request):
            self = .request(runID: id.rawValue, request: request)
        case .clearRequest(let id, let request):
            self = .clearRequest(runID: id.rawValue, request: request)
        case .signal(let signal):
            self = .signal(
                id: signal.id, runID: signal.runID.rawValue, name: signal.name, value: EncodedWrite.json(signal.value),
                sentAt: signal.sentAt.timeIntervalSince1970, status: signal.status.rawValue)
        case .signalStatus(let id, let status):
            self = .signalStatus(id: id, status: status.rawValue)
        }
    }
}
