import CSQLite

/// A prepared statement of one ``SQLiteConnection``; parameters are bound by position from 1.
final class SQLiteStatement {
    private let pointer: OpaquePointer
    private unowned let connection: SQLiteConnection
    /// The text bound since the last ``reset()``, copied here and handed to SQLite as static: given
    /// it transient, SQLite allocates and frees a copy of every text parameter, several per durable
    /// node on the writer thread. Allocated at the first text bound and never moved, since SQLite
    /// holds pointers into it until the bindings are cleared; text that does not fit goes transient.
    private var boundText: UnsafeMutableRawBufferPointer?
    private var boundTextUsed = 0
    private static let boundTextCapacity = 4096

    init(_ pointer: OpaquePointer, connection: SQLiteConnection) {
        self.pointer = pointer
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(pointer)
        boundText?.deallocate()
    }

    func reset() {
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
        // No parameter points into it any more.
        boundTextUsed = 0
    }

    /// Binds `values` to the parameters in order.
    @discardableResult
    func bind(_ values: SQLiteValue...) -> SQLiteStatement {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .nullValue: sqlite3_bind_null(pointer, index)
            case .integer(let number): bind(index, number)
            case .real(let number): bind(index, number)
            case .text(let text): bind(index, text)
            }
        }
        return self
    }

    // One parameter at a time, for the writer's rows: no array of values per row. A parameter
    // left unbound is NULL (statements are reset with their bindings cleared).

    func bind(_ index: Int32, _ number: Int) { sqlite3_bind_int64(pointer, index, Int64(number)) }

    func bind(_ index: Int32, _ number: Int?) { if let number { bind(index, number) } }

    func bind(_ index: Int32, _ number: Double) { sqlite3_bind_double(pointer, index, number) }

    func bind(_ index: Int32, _ number: Double?) { if let number { bind(index, number) } }

    func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            let buffer = boundText ?? UnsafeMutableRawBufferPointer.allocate(byteCount: Self.boundTextCapacity, alignment: 1)
            boundText = buffer
            // Text longer than what is left is not empty: its bytes have an address to copy from.
            guard bytes.count <= buffer.count - boundTextUsed, let start = buffer.baseAddress else {
                _ = sqlite3_bind_text64(
                    pointer, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), sqlite3_uint64(bytes.count),
                    csqlite_transient(), UInt8(SQLITE_UTF8))
                return
            }
            // Never a null pointer, which would bind NULL instead of empty text.
            let destination = start + boundTextUsed
            if let source = bytes.baseAddress { destination.copyMemory(from: source, byteCount: bytes.count) }
            boundTextUsed += bytes.count
            _ = sqlite3_bind_text64(
                pointer, index, destination.assumingMemoryBound(to: CChar.self), sqlite3_uint64(bytes.count), csqlite_static(), UInt8(SQLITE_UTF8))
        }
    }

    func bind(_ index: Int32, _ text: String?) { if let text { bind(index, text) } }

    /// Steps once; returns whether a row is there to read.
    func step() throws(StoreError) -> Bool {
        let status = sqlite3_step(pointer)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.failure(status)
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws(StoreError) {
        while try step() {}
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(pointer, column) == SQLITE_NULL }

    func integer(_ column: Int32) -> Int { Int(sqlite3_column_int64(pointer, column)) }

    func real(_ column: Int32) -> Double { sqlite3_column_double(pointer, column) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(pointer, column) else { return "" }
        return String(cString: bytes)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    func optionalReal(_ column: Int32) -> Double? { isNull(column) ? nil : real(column) }
}
