import CSQLite
import Foundation

/// The hand-written baseline: SQLite through its C API with the store's settings (WAL,
/// `synchronous=FULL`, `BEGIN IMMEDIATE`), no runtime: the ceiling a durable runtime is held to.
struct RawSQLiteBaseline {
    private let database: OpaquePointer
    private let insert: OpaquePointer

    /// Opens a fresh database at `path` with a table shaped like the store's node attempts.
    init(path: String) throws {
        var database: OpaquePointer?
        guard sqlite3_open(path, &database) == SQLITE_OK, let database else { throw BenchmarkFailure(description: "cannot open \(path)") }
        self.database = database
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"] { sqlite3_exec(database, pragma, nil, nil, nil) }
        sqlite3_exec(
            database,
            """
            CREATE TABLE node_attempts (run_id TEXT NOT NULL, node_id TEXT NOT NULL, attempt INTEGER NOT NULL, status TEXT NOT NULL,
            started_at REAL NOT NULL, ended_at REAL, output TEXT, PRIMARY KEY (run_id, node_id, attempt)) WITHOUT ROWID
            """, nil, nil, nil)
        var insert: OpaquePointer?
        sqlite3_prepare_v2(
            database, "INSERT OR REPLACE INTO node_attempts VALUES (?, ?, 1, 'completed', ?, ?, ?)", -1, &insert, nil)
        guard let insert else { throw BenchmarkFailure(description: "cannot prepare the baseline insert") }
        self.insert = insert
    }

    /// Closes the database.
    func close() {
        sqlite3_finalize(insert)
        sqlite3_close(database)
    }

    /// Inserts `rows` completion rows in transactions of `batch`; returns rows per second.
    func rowsPerSecond(rows: Int, batch: Int) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0
        while written < rows {
            try commit(count: min(batch, rows - written), from: written)
            written += batch
        }
        return Double(rows) / (clock.now - start).seconds
    }

    /// The mean time of one single-row commit, over `count` commits.
    func commitLatency(count: Int) throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<count { try commit(count: 1, from: 1_000_000_000 + index) }
        return (clock.now - start) / count
    }

    private func commit(count: Int, from first: Int) throws {
        guard sqlite3_exec(database, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK else { throw BenchmarkFailure(description: "BEGIN failed") }
        let now = Date().timeIntervalSince1970
        for index in first..<(first + count) {
            sqlite3_reset(insert)
            sqlite3_bind_text(insert, 1, "run-\(index / 10)", -1, csqlite_transient())
            sqlite3_bind_text(insert, 2, "n\(index % 10)", -1, csqlite_transient())
            sqlite3_bind_double(insert, 3, now)
            sqlite3_bind_double(insert, 4, now)
            sqlite3_bind_text(insert, 5, "\(index)", -1, csqlite_transient())
            guard sqlite3_step(insert) == SQLITE_DONE else { throw BenchmarkFailure(description: "baseline insert failed") }
        }
        guard sqlite3_exec(database, "COMMIT", nil, nil, nil) == SQLITE_OK else { throw BenchmarkFailure(description: "COMMIT failed") }
    }
}
