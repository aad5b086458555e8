/// The built-in ``CacheBackend``: at most `maxEntries` results in memory, the least recently used
/// evicted first, each dropped once its time to live has passed on the clock.
public final class MemoryCacheBackend: CacheBackend {
    /// One result in the recency list, which is linked through array indices.
    private struct Entry {
        let key: String
        var value: JSONValue
        var expires: Duration?
        var newer: Int?
        var older: Int?
    }

    private struct Storage {
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        var newest: Int?
        var oldest: Int?

        mutating func unlink(_ slot: Int) {
            let entry = entries[slot]
            if let newer = entry.newer { entries[newer].older = entry.older } else { newest = entry.older }
            if let older = entry.older { entries[older].newer = entry.newer } else { oldest = entry.newer }
        }

        mutating func pushNewest(_ slot: Int) {
            entries[slot].newer = nil
            entries[slot].older = newest
            if let newest { entries[newest].newer = slot }
            newest = slot
            if oldest == nil { oldest = slot }
        }
    }

    /// The most results kept at once.
    public let maxEntries: Int
    private let timeline: Timeline
    private let storage = LockedValue(Storage())

    /// Creates an empty cache of at most `maxEntries` (below 1 counts as 1); times to live run on `clock`.
    public init(maxEntries: Int, clock: any Clock<Duration> = ContinuousClock()) {
        self.maxEntries = max(1, maxEntries)
        timeline = Timeline(clock)
    }

    /// How many results are kept now, expired ones not yet dropped included.
    public var count: Int { storage.withLock { $0.index.count } }

    public func result(forKey key: String) async -> JSONValue? { lookUp(key) }

    public func store(_ result: JSONValue, forKey key: String, timeToLive: Duration?) async { insert(result, forKey: key, timeToLive: timeToLive) }

    /// The synchronous body of ``result(forKey:)``: a hit becomes the most recently used.
    func lookUp(_ key: String) -> JSONValue? {
        storage.withLock { storage in
            guard let slot = storage.index[key] else { return nil }
            if let expires = storage.entries[slot].expires, expires <= timeline.now() { return nil }
            if storage.newest != slot {
                storage.unlink(slot)
                storage.pushNewest(slot)
            }
            return storage.entries[slot].value
        }
    }

    /// The synchronous body of ``store(_:forKey:timeToLive:)``.
    func insert(_ value: JSONValue, forKey key: String, timeToLive: Duration?) {
        storage.withLock { storage in
            let expires = timeToLive.map { timeline.now() + $0 }
            if let slot = storage.index[key] {
                storage.entries[slot].value = value
                storage.entries[slot].expires = expires
                storage.unlink(slot)
                storage.pushNewest(slot)
                return
            }
            let slot: Int
            if storage.entries.count < maxEntries {
                slot = storage.entries.count
                storage.entries.append(Entry(key: key, value: value, expires: expires))
            } else {
                // Full: the least recently used entry's slot is reused.
                guard let oldest = storage.oldest else { preconditionFailure("a full cache has no oldest entry") }
                storage.unlink(oldest)
                storage.index[storage.entries[oldest].key] = nil
                storage.entries[oldest] = Entry(key: key, value: value, expires: expires)
                slot = oldest
            }
            storage.index[key] = slot
            storage.pushNewest(slot)
        }
    }
}
