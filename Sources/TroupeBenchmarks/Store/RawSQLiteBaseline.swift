import CSQLite
import Foundation
import Troupe

/// The hand-written baseline: SQLite through its C API with the store's settings (WAL,
/// `synchronous=FULL`, `BEGIN IMMEDIATE`), no runtime: the ceiling a durable runtime is held to.
///
/// It writes the rows a durable chain10 run leaves in the store, of the same shapes and sizes:
/// the run (its definition inserted or ignored, its row, its start and end history entries, its
/// status and output at the end), and per node one attempt row holding its start and end entries.
/// Like the runtime, it keeps `inFlight` runs going at once, each one step further per transaction
/// (a run's insert, then each node, then its end), so that a transaction's rows are spread over as
/// many runs as the runtime's are.
struct RawSQLiteBaseline {
    private let database: OpaquePointer
    /// Prepared statements by their place in the code (as the store keeps its frequent ones).
    private var statements: [Int: OpaquePointer] = [:]
    private let definition: DefinitionRecord

    /// Opens a fresh database at `path` with the store's tables (the columns the rows use).
    init(path: String, definition: DefinitionRecord) throws {
        var database: OpaquePointer?
        guard sqlite3_open(path, &database) == SQLITE_OK, let database else { throw BenchmarkFailure(description: "cannot open \(path)") }
        self.database = database
        self.definition = definition
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"] { sqlite3_exec(database, pragma, nil, nil, nil) }
        let schema = """
            CREATE TABLE definitions (hash TEXT PRIMARY KEY, workflow_id TEXT NOT NULL, version TEXT NOT NULL, json TEXT NOT NULL,
            components TEXT NOT NULL, created_at REAL NOT NULL);
            CREATE TABLE runs (id TEXT PRIMARY KEY, workflow_id TEXT NOT NULL, workflow_version TEXT NOT NULL,
            definition_hash TEXT NOT NULL, parent_run_id TEXT, status TEXT NOT NULL, input TEXT NOT NULL, output TEXT, error TEXT,
            error_type TEXT, metadata TEXT NOT NULL, idempotency_key TEXT UNIQUE, created_at REAL NOT NULL, updated_at REAL NOT NULL,
            ended_at REAL, deadline REAL, recovery_attempts INTEGER NOT NULL DEFAULT 0, owner TEXT, request TEXT, node_count INTEGER NOT NULL);
            CREATE INDEX runs_by_status ON runs (status, id);
            CREATE INDEX runs_by_end ON runs (ended_at) WHERE ended_at IS NOT NULL;
            CREATE TABLE node_attempts (run_id TEXT NOT NULL, node_id TEXT NOT NULL, attempt INTEGER NOT NULL, status TEXT NOT NULL,
            started_at REAL NOT NULL, ended_at REAL, output TEXT, error_type TEXT, error TEXT, next_attempt_at REAL, child_run_id TEXT,
            start_sequence INTEGER, start_date REAL, start_kind TEXT, start_details TEXT, end_sequence INTEGER, end_date REAL,
            end_kind TEXT, end_details TEXT, PRIMARY KEY (run_id, node_id, attempt)) WITHOUT ROWID;
            CREATE TABLE events (run_id TEXT NOT NULL, sequence INTEGER NOT NULL, date REAL NOT NULL, kind TEXT NOT NULL, node_id TEXT,
            details TEXT NOT NULL, PRIMARY KEY (run_id, sequence)) WITHOUT ROWID;
            """
        guard sqlite3_exec(database, schema, nil, nil, nil) == SQLITE_OK else { throw BenchmarkFailure(description: "cannot create the tables") }
    }

    /// Closes the database.
    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close(database)
    }

    /// Writes `runs` chain10 runs, `inFlight` at a time; returns node completions per second.
    mutating func nodeCompletionsPerSecond(runs: Int, inFlight: Int) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        // Each run in flight: its id and its next step (0 its insert, 1...10 its nodes, 11 its end).
        var flying: [(id: String, step: Int)] = []
        var started = 0
        func launch() {
            flying.append((RunID().rawValue, 0))
            started += 1
        }
        while started < min(inFlight, runs) { launch() }
        while !flying.isEmpty {
            try transaction {
                for index in flying.indices { try step(flying[index].step, of: flying[index].id) }
            }
            for index in flying.indices { flying[index].step += 1 }
            let before = flying.count
            flying.removeAll { $0.step > 11 }
            for _ in 0..<(before - flying.count) where started < runs { launch() }
        }
        return Double(runs * 10) / (clock.now - start).seconds
    }

    /// What a caller of a writer thread hands it.
    enum Write: Sendable {
        /// Step `step` of run `run`, as ``nodeCompletionsPerSecond(runs:inFlight:)`` writes it.
        case step(Int, run: String)
        /// Node `index`'s attempt row of run `run` alone.
        case node(Int, run: String)
    }

    /// Writes `writes` in one transaction.
    mutating func commit(_ writes: [Write]) throws {
        try transaction {
            for write in writes {
                switch write {
                case .step(let step, let run): try self.step(step, of: run)
                case .node(let index, let run): try node(index, of: run)
                }
            }
        }
    }

    /// The median time of a commit of one node's row, over `count` commits.
    mutating func commitLatency(count: Int) throws -> Duration {
        let run = RunID().rawValue
        let clock = ContinuousClock()
        var times: [Duration] = []
        for index in 0..<count {
            let start = clock.now
            try commitNode(index, of: run)
            times.append(clock.now - start)
        }
        return times.sorted()[count / 2]
    }

    /// Commits node `index`'s attempt row of `run` in a transaction of its own.
    private mutating func commitNode(_ index: Int, of run: String) throws {
        try transaction { try node(index, of: run) }
    }

    /// One short row per node in key order, in transactions of `batch`: the ceiling this
    /// benchmark compared with before it wrote the rows the store writes (kept for reference).
    mutating func shortRowsPerSecond(rows: Int, batch: Int) throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0
        while written < rows {
            try transaction {
                for index in written..<min(rows, written + batch) {
                    let insert = try prepared(5, "INSERT INTO events (run_id, sequence, date, kind, details) VALUES (?, ?, ?, 'x', ?)")
                    sqlite3_bind_text(insert, 1, "run-\(index / 10)", -1, csqlite_transient())
                    sqlite3_bind_int64(insert, 2, Int64(index))
                    sqlite3_bind_double(insert, 3, Date().timeIntervalSince1970)
                    sqlite3_bind_text(insert, 4, "\(index)", -1, csqlite_transient())
                    try run(insert)
                }
            }
            written += batch
        }
        return Double(rows) / (clock.now - start).seconds
    }

    /// What the store writes for step `step` of a run (see ``nodeCompletionsPerSecond(runs:inFlight:)``).
    private mutating func step(_ step: Int, of run: String) throws {
        let now = Date().timeIntervalSince1970
        switch step {
        case 0:
            let definitionInsert = try prepared(
                1, "INSERT OR IGNORE INTO definitions (hash, workflow_id, version, json, components, created_at) VALUES (?, ?, ?, ?, ?, ?)")
            bind(definitionInsert, 1, definition.hash)
            bind(definitionInsert, 2, definition.workflowID)
            bind(definitionInsert, 3, definition.version)
            bind(definitionInsert, 4, definition.json)
            bind(definitionInsert, 5, JSONWriter.write(definition.components, pretty: false))
            sqlite3_bind_double(definitionInsert, 6, now)
            try self.run(definitionInsert)
            let runInsert = try prepared(
                2,
                """
                INSERT INTO runs (id, workflow_id, workflow_version, definition_hash, status, input, metadata, created_at, updated_at,
                recovery_attempts, owner, node_count) VALUES (?, ?, ?, ?, 'running', '0', '{}', ?, ?, 0, ?, 10)
                """)
            bind(runInsert, 1, run)
            bind(runInsert, 2, definition.workflowID)
            bind(runInsert, 3, definition.version)
            bind(runInsert, 4, definition.hash)
            sqlite3_bind_double(runInsert, 5, now)
            sqlite3_bind_double(runInsert, 6, now)
            bind(runInsert, 7, "01JBENCHMARKOWNER000000000-12345")
            try self.run(runInsert)
        case 1...10:
            if step == 1 { try event(1, "runStarted", details: #"{"workflow":"\#(definition.workflowID)"}"#, of: run, at: now) }
            try node(step - 1, of: run)
        default:
            try event(22, "runEnded", details: #"{"status":"completed"}"#, of: run, at: now)
            let update = try prepared(
                3,
                """
                UPDATE runs SET status = ?1, output = COALESCE(?2, output), error = ?3, error_type = ?4, updated_at = ?5,
                ended_at = CASE WHEN ?6 THEN ?5 ELSE NULL END, owner = CASE WHEN ?6 THEN NULL ELSE owner END,
                request = CASE WHEN ?6 THEN NULL ELSE request END WHERE id = ?7
                """)
            bind(update, 1, "completed")
            bind(update, 2, "{" + (0..<10).map { #""n\#($0)":\#($0 + 1)"# }.joined(separator: ",") + "}")
            sqlite3_bind_double(update, 5, now)
            sqlite3_bind_int64(update, 6, 1)
            bind(update, 7, run)
            try self.run(update)
        }
    }

    /// Node `index`'s attempt row, with its start and end entries.
    private mutating func node(_ index: Int, of run: String) throws {
        let insert = try prepared(
            4,
            """
            INSERT INTO node_attempts (run_id, node_id, attempt, status, started_at, ended_at, output, start_sequence, start_date,
            start_kind, start_details, end_sequence, end_date, end_kind, end_details)
            VALUES (?, ?, 1, 'completed', ?, ?, ?, ?, ?, 'nodeStarted', '{"attempt":1}', ?, ?, 'nodeCompleted', '{"attempt":1}')
            """)
        let started = Date().timeIntervalSince1970
        let ended = Date().timeIntervalSince1970
        bind(insert, 1, run)
        bind(insert, 2, "n\(index)")
        sqlite3_bind_double(insert, 3, started)
        sqlite3_bind_double(insert, 4, ended)
        bind(insert, 5, "\(index % 10 + 1)")
        sqlite3_bind_int64(insert, 6, Int64(2 + 2 * index))
        sqlite3_bind_double(insert, 7, started)
        sqlite3_bind_int64(insert, 8, Int64(3 + 2 * index))
        sqlite3_bind_double(insert, 9, ended)
        try self.run(insert)
    }

    private mutating func event(_ sequence: Int, _ kind: String, details: String, of run: String, at date: Double) throws {
        let insert = try prepared(6, "INSERT OR REPLACE INTO events (run_id, sequence, date, kind, node_id, details) VALUES (?, ?, ?, ?, NULL, ?)")
        bind(insert, 1, run)
        sqlite3_bind_int64(insert, 2, Int64(sequence))
        sqlite3_bind_double(insert, 3, date)
        bind(insert, 4, kind)
        bind(insert, 5, details)
        try self.run(insert)
    }

    private func transaction(_ body: () throws -> Void) throws {
        guard sqlite3_exec(database, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK else { throw BenchmarkFailure(description: "BEGIN failed") }
        try body()
        guard sqlite3_exec(database, "COMMIT", nil, nil, nil) == SQLITE_OK else { throw BenchmarkFailure(description: "COMMIT failed") }
    }

    private mutating func prepared(_ place: Int, _ sql: String) throws -> OpaquePointer {
        if let statement = statements[place] {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            return statement
        }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw BenchmarkFailure(description: "cannot prepare \(sql)")
        }
        statements[place] = statement
        return statement
    }

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ text: String) {
        sqlite3_bind_text(statement, index, text, -1, csqlite_transient())
    }

    private func run(_ statement: OpaquePointer) throws {
        guard sqlite3_step(statement) == SQLITE_DONE else {
            throw BenchmarkFailure(description: "baseline statement failed: \(String(cString: sqlite3_errmsg(database)))")
        }
    }
}
