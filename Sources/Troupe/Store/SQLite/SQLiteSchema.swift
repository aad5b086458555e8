/// The store's tables, as a list of migrations: version N is the first N applied in order. A new
/// version appends a migration; none is ever edited, so every older store upgrades the same way.
enum SQLiteSchema {
    static let migrations: [String] = [
        // 1: definitions, runs, node attempts, history.
        """
        CREATE TABLE definitions (
            hash TEXT PRIMARY KEY, workflow_id TEXT NOT NULL, version TEXT NOT NULL,
            json TEXT NOT NULL, components TEXT NOT NULL, created_at REAL NOT NULL);
        CREATE TABLE runs (
            id TEXT PRIMARY KEY, workflow_id TEXT NOT NULL, workflow_version TEXT NOT NULL,
            definition_hash TEXT NOT NULL, parent_run_id TEXT, status TEXT NOT NULL,
            input TEXT NOT NULL, output TEXT, error TEXT, error_type TEXT, metadata TEXT NOT NULL,
            idempotency_key TEXT UNIQUE, created_at REAL NOT NULL, updated_at REAL NOT NULL,
            ended_at REAL, deadline REAL, recovery_attempts INTEGER NOT NULL DEFAULT 0,
            owner TEXT, request TEXT, node_count INTEGER NOT NULL);
        CREATE INDEX runs_by_status ON runs (status, id);
        CREATE TABLE node_attempts (
            run_id TEXT NOT NULL, node_id TEXT NOT NULL, attempt INTEGER NOT NULL, status TEXT NOT NULL,
            started_at REAL NOT NULL, ended_at REAL, output TEXT, error_type TEXT, error TEXT,
            next_attempt_at REAL, child_run_id TEXT,
            PRIMARY KEY (run_id, node_id, attempt)) WITHOUT ROWID;
        CREATE TABLE events (
            run_id TEXT NOT NULL, sequence INTEGER NOT NULL, date REAL NOT NULL, kind TEXT NOT NULL,
            node_id TEXT, details TEXT NOT NULL,
            PRIMARY KEY (run_id, sequence)) WITHOUT ROWID;
        """,
        // 2: pruning finds ended runs by end time without a scan.
        "CREATE INDEX runs_by_end ON runs (ended_at) WHERE ended_at IS NOT NULL;",
        // 3: the `cache` interceptor's `"backend": "store"` (see SQLiteRunStore+CacheBackend.swift):
        // expiry as wall-clock seconds since 1970, recency as an increasing counter.
        """
        CREATE TABLE cache_entries (
            key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at REAL, last_used INTEGER NOT NULL);
        CREATE INDEX cache_by_use ON cache_entries (last_used);
        CREATE INDEX cache_by_expiry ON cache_entries (expires_at) WHERE expires_at IS NOT NULL;
        """,
        // 4: a node attempt's start and end history entries live in its row (sequence, date, kind,
        // details JSON), so that a durable node is one row written, not four; `events` keeps the
        // run's own entries (and those a version 3 store recorded).
        """
        ALTER TABLE node_attempts ADD COLUMN start_sequence INTEGER;
        ALTER TABLE node_attempts ADD COLUMN start_date REAL;
        ALTER TABLE node_attempts ADD COLUMN start_kind TEXT;
        ALTER TABLE node_attempts ADD COLUMN start_details TEXT;
        ALTER TABLE node_attempts ADD COLUMN end_sequence INTEGER;
        ALTER TABLE node_attempts ADD COLUMN end_date REAL;
        ALTER TABLE node_attempts ADD COLUMN end_kind TEXT;
        ALTER TABLE node_attempts ADD COLUMN end_details TEXT;
        """,
        // 5: signals for runs owned by another process, kept until their run is
        // pruned; the owner's request watcher finds runs with a request or a pending signal by index.
        """
        CREATE TABLE signals (
            id TEXT PRIMARY KEY, run_id TEXT NOT NULL, sequence INTEGER NOT NULL, name TEXT NOT NULL,
            value TEXT NOT NULL, sent_at REAL NOT NULL, status TEXT NOT NULL);
        CREATE UNIQUE INDEX signals_by_run ON signals (run_id, sequence);
        CREATE INDEX signals_pending ON signals (run_id) WHERE status = 'pending';
        CREATE INDEX runs_with_request ON runs (id) WHERE request IS NOT NULL;
        """,
    ]

    /// The version this build writes.
    static var currentVersion: Int { migrations.count }

    /// Brings the database up to `target` (by default the current version), in one transaction;
    /// refuses a database whose version is newer than this build knows.
    static func migrate(_ connection: SQLiteConnection, to target: Int = currentVersion) throws(StoreError) {
        try connection.execute("BEGIN IMMEDIATE")
        do throws(StoreError) {
            try connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            let select = try connection.statement("SELECT version FROM schema_version")
            let found = try select.step() ? select.integer(0) : 0
            select.reset()
            if found > currentVersion {
                throw StoreError(
                    type: "NewerSchema",
                    message:
                        "store \(connection.path): schema version \(found) is newer than this Troupe's version \(currentVersion); use a newer Troupe, or another store"
                )
            }
            if found < target {
                for migration in migrations[found..<target] { try connection.execute(migration) }
                try connection.execute("DELETE FROM schema_version")
                try connection.statement("INSERT INTO schema_version (version) VALUES (?)").bind(.integer(target)).run()
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
