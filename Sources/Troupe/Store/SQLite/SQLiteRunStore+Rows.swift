import Foundation

/// Records to rows and back.
extension SQLiteRunStore {
    static let runColumns = """
        SELECT id, workflow_id, workflow_version, definition_hash, parent_run_id, status, input, output, error,
        error_type, metadata, idempotency_key, created_at, ended_at, deadline, recovery_attempts, owner, request,
        node_count, (SELECT COUNT(DISTINCT node_id) FROM node_attempts a WHERE a.run_id = runs.id AND a.status = 'completed'),
        MAX((SELECT COALESCE(MAX(sequence), -1) FROM events e WHERE e.run_id = runs.id),
        (SELECT COALESCE(MAX(MAX(COALESCE(start_sequence, -1), COALESCE(end_sequence, -1))), -1) FROM node_attempts n WHERE n.run_id = runs.id)),
        (SELECT json_group_array(json_array(id, name, json(value), sent_at, status))
        FROM (SELECT * FROM signals s WHERE s.run_id = runs.id ORDER BY sequence))
        FROM runs
        """

    static func insertRun(_ run: RunRecord, on connection: SQLiteConnection) throws(StoreError) {
        var metadata: [String: JSONValue] = [:]
        for (key, value) in run.metadata { metadata[key] = .string(value) }
        try connection.statement(
            """
            INSERT INTO runs (id, workflow_id, workflow_version, definition_hash, parent_run_id, status, input, metadata,
            idempotency_key, created_at, updated_at, deadline, recovery_attempts, owner, node_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        )
        .bind(
            .text(run.id.rawValue), .text(run.workflowID), .text(run.workflowVersion), .text(run.definitionHash),
            .optional(run.parentRunID?.rawValue), .text(run.status.rawValue), .json(run.input), .json(.object(metadata)),
            .optional(run.idempotencyKey), .date(run.createdAt), .date(run.createdAt), .date(run.deadline),
            .integer(run.recoveryAttempts), .optional(run.owner), .integer(run.nodeCount)
        ).run()
    }

    static func runRecord(_ row: SQLiteStatement, path: String) throws(StoreError) -> RunRecord {
        let text = row.text(0)
        guard let id = RunID(text) else { throw StoreError(type: "Corrupt", message: "store \(path): run id \(text) is malformed") }
        let place = "run \(text)"
        guard let status = RunStatus(rawValue: row.text(5)) else {
            throw StoreError(type: "Corrupt", message: "store \(path): \(place) has unknown status \(row.text(5))")
        }
        var metadata: [String: String] = [:]
        for (key, value) in try json(row.text(10), path: path, place: place).objectValue ?? [:] { metadata[key] = value.stringValue }
        var run = RunRecord(
            id: id, workflowID: row.text(1), workflowVersion: row.text(2), definitionHash: row.text(3),
            parentRunID: row.optionalText(4).flatMap(RunID.init), status: status, input: try json(row.text(6), path: path, place: place),
            metadata: metadata, idempotencyKey: row.optionalText(11), createdAt: Date(timeIntervalSince1970: row.real(12)),
            deadline: row.optionalReal(14).map(Date.init(timeIntervalSince1970:)), nodeCount: row.integer(18))
        if let output = row.optionalText(7) { run.output = try json(output, path: path, place: place) }
        run.error = row.optionalText(8)
        run.errorType = row.optionalText(9)
        run.endedAt = row.optionalReal(13).map(Date.init(timeIntervalSince1970:))
        run.recoveryAttempts = row.integer(15)
        run.owner = row.optionalText(16)
        run.request = row.optionalText(17)
        run.nodesCompleted = row.integer(19)
        // The history's primary key (run_id, sequence) answers it with one seek (for resuming).
        run.lastEventSequence = row.integer(20)
        run.signals = try signals(row.text(21), of: id, path: path)
        return run
    }

    /// A run's signals from the JSON array its row read gives (runs control).
    private static func signals(_ text: String, of run: RunID, path: String) throws(StoreError) -> [RunSignalRecord] {
        let place = "signals of run \(run)"
        var signals: [RunSignalRecord] = []
        for entry in try json(text, path: path, place: place).arrayValue ?? [] {
            guard let fields = entry.arrayValue, fields.count == 5, let id = fields[0].stringValue, let name = fields[1].stringValue,
                let sent = fields[3].doubleValue, let status = fields[4].stringValue.flatMap(RunSignalRecord.Status.init(rawValue:))
            else {
                throw StoreError(type: "Corrupt", message: "store \(path): \(place) holds a malformed signal")
            }
            signals.append(
                RunSignalRecord(
                    id: id, runID: run, name: name, value: fields[2], sentAt: Date(timeIntervalSince1970: sent), status: status))
        }
        return signals
    }

    static func attempts(of run: RunID, on connection: SQLiteConnection) throws(StoreError) -> [NodeAttemptRecord] {
        let select = try connection.statement(
            """
            SELECT node_id, attempt, status, started_at, ended_at, output, error_type, error, next_attempt_at, child_run_id,
            start_sequence, start_date, start_kind, start_details, end_sequence, end_date, end_kind, end_details
            FROM node_attempts WHERE run_id = ? ORDER BY node_id, attempt
            """
        ).bind(.text(run.rawValue))
        var attempts: [NodeAttemptRecord] = []
        while try select.step() {
            let place = "run \(run) node \(select.text(0))"
            guard let status = NodeStatus(rawValue: select.text(2)) else {
                throw StoreError(type: "Corrupt", message: "store \(connection.path): \(place) has unknown status \(select.text(2))")
            }
            let node = select.text(0)
            attempts.append(
                NodeAttemptRecord(
                    runID: run, nodeID: node, attempt: select.integer(1), status: status,
                    startedAt: Date(timeIntervalSince1970: select.real(3)), endedAt: select.optionalReal(4).map(Date.init(timeIntervalSince1970:)),
                    output: try select.optionalText(5).map { (text) throws(StoreError) in try json(text, path: connection.path, place: place) },
                    errorType: select.optionalText(6), error: select.optionalText(7),
                    nextAttemptAt: select.optionalReal(8).map(Date.init(timeIntervalSince1970:)),
                    childRunID: select.optionalText(9).flatMap(RunID.init),
                    startEvent: try event(select, from: 10, run: run, node: node, path: connection.path),
                    endEvent: try event(select, from: 14, run: run, node: node, path: connection.path)))
        }
        return attempts
    }

    /// The history entry kept in an attempt row's four columns from `first`, if it has one.
    private static func event(
        _ row: SQLiteStatement, from first: Int32, run: RunID, node: String, path: String
    ) throws(StoreError)
        -> RunEventRecord?
    {
        guard !row.isNull(first) else { return nil }
        return RunEventRecord(
            runID: run, sequence: row.integer(first), date: Date(timeIntervalSince1970: row.real(first + 1)), kind: row.text(first + 2),
            nodeID: node, details: try json(row.text(first + 3), path: path, place: "events of run \(run)"))
    }

    static func json(_ text: String, path: String, place: String) throws(StoreError) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw StoreError(type: "Corrupt", message: "store \(path): \(place) holds malformed JSON (\(error))")
        }
    }
}
