import CSQLite

/// One SQLite connection, used by one thread at a time: the store's writer thread, or a reader
/// taken from the pool. Every failure becomes a ``StoreError`` naming the file.
///
/// Sendable because it moves between threads, but never used by two at once: the writer's stays on
/// the writer thread, and a reader is taken out of the pool under its lock while it is used.
final class SQLiteConnection: @unchecked Sendable {
    let path: String
    private let handle: OpaquePointer
    private let busyTimeout: Int32
    private var statements: [String: SQLiteStatement] = [:]
    private var frequent = [SQLiteStatement?](repeating: nil, count: FrequentStatement.allCases.count)

    /// Opens (creating it when `create`) the database at `path`.
    init(path: String, create: Bool, busyTimeout: Int32) throws(StoreError) {
        self.path = path
        var handle: OpaquePointer?
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if create { flags |= SQLITE_OPEN_CREATE }
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(handle)
            throw Self.error(status, message: message, path: path)
        }
        self.handle = handle
        self.busyTimeout = busyTimeout
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeout)
    }

    private var isClosed = false

    deinit { close() }

    /// Closes the connection now (the last one to close checkpoints the WAL into the file); once only.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        statements.removeAll()
        frequent.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that take no parameters.
    func execute(_ sql: String) throws(StoreError) {
        let status = sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw failure(status) }
    }

    /// The prepared statement for `sql`, cached for the connection's life and reset for reuse.
    func statement(_ sql: String) throws(StoreError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        let statement = try prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// The prepared statement `key`, cached by its index for the connection's life and reset for reuse.
    func statement(_ key: FrequentStatement) throws(StoreError) -> SQLiteStatement {
        if let cached = frequent[key.rawValue] {
            cached.reset()
            return cached
        }
        let statement = try prepare(key.sql)
        frequent[key.rawValue] = statement
        return statement
    }

    private func prepare(_ sql: String) throws(StoreError) -> SQLiteStatement {
        var pointer: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard status == SQLITE_OK, let pointer else { throw failure(status) }
        return SQLiteStatement(pointer, connection: self)
    }

    /// Begins a write transaction (`BEGIN IMMEDIATE`) unless another connection holds the write
    /// lock: then returns `false` at once, with nothing begun, instead of waiting out the busy timeout.
    func beginUnlessLocked() throws(StoreError) -> Bool {
        sqlite3_busy_timeout(handle, 0)
        defer { sqlite3_busy_timeout(handle, busyTimeout) }
        do {
            try statement(.begin).run()
            return true
        } catch {
            if error.type == "Locked" { return false }
            throw error
        }
    }

    /// Resets every cached statement: a statement left stepped keeps its read transaction open,
    /// and with it an old snapshot of the database (and a WAL that cannot be checkpointed).
    func resetStatements() {
        for statement in statements.values { statement.reset() }
        for statement in frequent { statement?.reset() }
    }

    /// The error for `status` with this connection's message.
    func failure(_ status: Int32) -> StoreError {
        Self.error(status, message: String(cString: sqlite3_errmsg(handle)), path: path)
    }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Names the cause in words a user can act on, and keeps SQLite's own message.
    static func error(_ status: Int32, message: String, path: String) -> StoreError {
        switch status & 0xFF {
        case SQLITE_NOTADB:
            return StoreError(type: "NotADatabase", message: "store \(path): not an SQLite database (\(message))")
        case SQLITE_CORRUPT:
            return StoreError(type: "Corrupt", message: "store \(path): the database file is corrupt (\(message))")
        case SQLITE_READONLY:
            return StoreError(type: "ReadOnly", message: "store \(path): cannot write: the file or its directory is read-only (\(message))")
        case SQLITE_CANTOPEN:
            return StoreError(
                type: "CannotOpen", message: "store \(path): cannot open: the directory is missing or not writable, or the path is not a file (\(message))")
        case SQLITE_FULL:
            return StoreError(type: "DiskFull", message: "store \(path): the disk (or the store's size limit) is full (\(message))")
        case SQLITE_BUSY, SQLITE_LOCKED:
            return StoreError(type: "Locked", message: "store \(path): locked by another process or connection (\(message))")
        case SQLITE_IOERR:
            return StoreError(type: "IOError", message: "store \(path): input/output error (\(message))")
        default:
            return StoreError(type: "SQLite", message: "store \(path): SQLite error \(status): \(message)")
        }
    }
}
