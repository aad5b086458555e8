import Foundation

/// The run store as the `cache` interceptor's `"backend": "store"`: results outlive the process and
/// are shared by every runtime, in this process or another, that opens the same file.
///
/// Entries are rows of `cache_entries`. Expiry is an absolute wall-clock time in the row, so a time
/// to live counts across restarts; an expired row is never returned, and is deleted when a read
/// finds it or at the next write. The table keeps at most ``maxCacheEntries`` rows for every
/// declaration together (the store's bound: one table cannot honour each declaration's own): a hit
/// marks its row most recently used, and a write deletes the least recently used beyond the bound.
/// Writes go through the writer's group commit; a hit's mark and a lazy delete are not awaited.
/// A read or a write that fails (a locked or full file) is a miss or is dropped: a cache may forget.
extension SQLiteRunStore: CacheBackend {
    /// The unexpired result under `key`, marked most recently used; a row that is not JSON is a miss.
    public func result(forKey key: String) async -> JSONValue? {
        let now = now().timeIntervalSince1970
        let row = try? read { connection -> (value: String, expires: Double?)? in
            let select = try connection.statement("SELECT value, expires_at FROM cache_entries WHERE key = ?").bind(.text(key))
            guard try select.step() else { return nil }
            return (select.text(0), select.optionalReal(1))
        }
        guard let row = row ?? nil else { return nil }
        if let expires = row.expires, expires <= now {
            submit { try $0.statement("DELETE FROM cache_entries WHERE key = ? AND expires_at <= ?").bind(.text(key), .real(now)).run() }
            return nil
        }
        guard let value = try? JSONParser.parse(row.value) else {
            // A row this build cannot read (damaged, or written by hand) is a miss, and goes.
            submit { try $0.statement("DELETE FROM cache_entries WHERE key = ? AND value = ?").bind(.text(key), .text(row.value)).run() }
            return nil
        }
        submit {
            try $0.statement("UPDATE cache_entries SET last_used = (SELECT COALESCE(MAX(last_used), 0) + 1 FROM cache_entries) WHERE key = ?")
                .bind(.text(key)).run()
        }
        return value
    }

    /// Keeps `result` under `key` as the most recently used, once committed; drops expired rows and
    /// the least recently used beyond ``maxCacheEntries``.
    public func store(_ result: JSONValue, forKey key: String, timeToLive: Duration?) async {
        let now = now().timeIntervalSince1970
        let expires = timeToLive.map { now + Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        let bound = maxCacheEntries
        _ = try? await perform { connection in
            try connection.statement("DELETE FROM cache_entries WHERE expires_at IS NOT NULL AND expires_at <= ?").bind(.real(now)).run()
            try connection.statement(
                """
                INSERT OR REPLACE INTO cache_entries (key, value, expires_at, last_used)
                VALUES (?, ?, ?, (SELECT COALESCE(MAX(last_used), 0) + 1 FROM cache_entries))
                """
            ).bind(.text(key), .json(result), expires.map(SQLiteValue.real) ?? .nullValue).run()
            // Every row at or below the newest-but-`bound`th row's mark is beyond the bound.
            try connection.statement(
                "DELETE FROM cache_entries WHERE last_used <= (SELECT last_used FROM cache_entries ORDER BY last_used DESC LIMIT 1 OFFSET ?)"
            ).bind(.integer(bound)).run()
        }
    }

    /// How many cache rows the file holds now, expired ones not yet deleted included (for tests).
    var cacheEntryCount: Int {
        (try? read { connection -> Int in
            let select = try connection.statement("SELECT count(*) FROM cache_entries")
            return try select.step() ? select.integer(0) : 0
        }) ?? 0
    }

    /// Queues a write nobody waits for; it commits with the next batch.
    private func submit(_ work: @escaping @Sendable (SQLiteConnection) throws -> Void) {
        _ = queue.enqueue(GroupCommitQueue.Job(work: work, waiter: nil))
    }
}
