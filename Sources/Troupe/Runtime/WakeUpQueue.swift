/// The due times of a ``RuntimeClock``'s timers, earliest first: a binary min-heap.
///
/// An entry names its timer by key and serial. A timer cancelled or replaced leaves its entry
/// behind, to be skipped when it comes up or dropped by ``removeAll(where:)``: cancelling does not
/// search the heap.
struct WakeUpQueue {
    /// One timer's due time, as time since the clock's timeline began.
    struct Entry {
        let due: Duration
        let serial: UInt64
        let key: ObjectIdentifier

        /// Earlier due times first; among equal ones, the timer scheduled first.
        func precedes(_ other: Entry) -> Bool { due < other.due || (due == other.due && serial < other.serial) }
    }

    private var heap: [Entry] = []

    /// The entry due first, if any.
    var earliest: Entry? { heap.first }

    /// How many entries are queued, live or left behind.
    var count: Int { heap.count }

    mutating func insert(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes the entry due first.
    mutating func removeEarliest() {
        guard !heap.isEmpty else { return }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        siftDown(from: 0)
    }

    /// Drops the entries `isDead` says were left behind, and gives back the room they took.
    mutating func removeAll(where isDead: (Entry) -> Bool) {
        var kept: [Entry] = []
        kept.reserveCapacity(heap.count { !isDead($0) })
        for entry in heap where !isDead(entry) { kept.append(entry) }
        heap = kept
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(from: index) }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            var first = parent
            let left = 2 * parent + 1
            if left < heap.count && heap[left].precedes(heap[first]) { first = left }
            if left + 1 < heap.count && heap[left + 1].precedes(heap[first]) { first = left + 1 }
            guard first != parent else { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }
}
