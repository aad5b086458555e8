/// The statements the writer runs for nearly every batch, prepared once per connection and found
/// by their index: looking one up by its SQL text hashed a few hundred bytes per row written.
enum FrequentStatement: Int, CaseIterable {
    case begin
    case commit
    case upsertAttempt
    case insertEvent
    case updateStatus
    case updateRequest
    case clearRequest
    case insertSignal
    case updateSignalStatus

    var sql: String {
        switch self {
        case .begin: return "BEGIN IMMEDIATE"
        case .commit: return "COMMIT"
        case .upsertAttempt:
            // A write without a start or end entry keeps the recorded one (`StoreWrite.attempt`).
            return """
                INSERT INTO node_attempts (run_id, node_id, attempt, status, started_at, ended_at, output, error_type, error,
                next_attempt_at, child_run_id, start_sequence, start_date, start_kind, start_details, end_sequence, end_date,
                end_kind, end_details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
                ON CONFLICT (run_id, node_id, attempt) DO UPDATE SET status = ?4, started_at = ?5, ended_at = ?6, output = ?7,
                error_type = ?8, error = ?9, next_attempt_at = ?10, child_run_id = ?11,
                start_sequence = IFNULL(?12, start_sequence), start_date = IIF(?12 IS NULL, start_date, ?13),
                start_kind = IIF(?12 IS NULL, start_kind, ?14), start_details = IIF(?12 IS NULL, start_details, ?15),
                end_sequence = IFNULL(?16, end_sequence), end_date = IIF(?16 IS NULL, end_date, ?17),
                end_kind = IIF(?16 IS NULL, end_kind, ?18), end_details = IIF(?16 IS NULL, end_details, ?19)
                """
        case .insertEvent:
            return "INSERT OR REPLACE INTO events (run_id, sequence, date, kind, node_id, details) VALUES (?, ?, ?, ?, ?, ?)"
        case .updateStatus:
            return """
                UPDATE runs SET status = ?1, output = COALESCE(?2, output), error = ?3, error_type = ?4, updated_at = ?5,
                ended_at = CASE WHEN ?6 THEN ?5 ELSE NULL END, owner = CASE WHEN ?6 THEN NULL ELSE owner END,
                request = CASE WHEN ?6 THEN NULL ELSE request END WHERE id = ?7
                """
        case .updateRequest:
            return "UPDATE runs SET request = ? WHERE id = ?"
        case .clearRequest:
            return "UPDATE runs SET request = NULL WHERE id = ? AND request = ?"
        case .insertSignal:
            return """
                INSERT INTO signals (id, run_id, sequence, name, value, sent_at, status)
                VALUES (?1, ?2, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM signals WHERE run_id = ?2), ?3, ?4, ?5, ?6)
                """
        case .updateSignalStatus:
            return "UPDATE signals SET status = ? WHERE id = ?"
        }
    }
}
