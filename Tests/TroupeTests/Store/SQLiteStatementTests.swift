import Foundation
import Testing

@_spi(Development) @testable import Troupe

/// Text parameters are copied into the statement's own buffer and bound static; these check that
/// what is stored is what was bound, whether it fits the buffer or goes transient.
@Suite("SQLite statement text binding", .timeLimit(.minutes(1)))
struct SQLiteStatementTests {
    private static func connection(in directory: StoreDirectory) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: directory.file(), create: true, busyTimeout: 1000)
        try connection.execute("CREATE TABLE texts (row INTEGER, position INTEGER, value TEXT)")
        return connection
    }

    private static func stored(_ connection: SQLiteConnection, row: Int) throws -> [String?] {
        let select = try connection.statement("SELECT value FROM texts WHERE row = ? ORDER BY position")
        select.bind(1, row)
        var values: [String?] = []
        while try select.step() { values.append(select.optionalText(0)) }
        return values
    }

    @Test func emptyTextIsStoredEmptyNotNull() throws {
        let directory = try StoreDirectory()
        let connection = try Self.connection(in: directory)
        let insert = try connection.statement("INSERT INTO texts VALUES (1, 1, ?)")
        insert.bind(1, "")
        try insert.run()
        #expect(try Self.stored(connection, row: 1) == [""])
    }

    @Test func textBeyondTheBufferAndTextAfterItRoundTrip() throws {
        let directory = try StoreDirectory()
        let connection = try Self.connection(in: directory)
        // Five parameters of one statement: the buffer fills, the long one goes transient, the
        // short ones after it still fit or go transient too, and none overwrites another.
        let long = String(repeating: "é", count: 3_000)  // 6,000 bytes of UTF-8
        let values = ["run-01JBXYZ0123456789ABCDEFGH", String(repeating: "x", count: 4_000), long, "n1", "{\"attempt\":1}"]
        let insert = try connection.statement(
            "INSERT INTO texts VALUES (1, 1, ?1), (1, 2, ?2), (1, 3, ?3), (1, 4, ?4), (1, 5, ?5)")
        for (offset, value) in values.enumerated() { insert.bind(Int32(offset + 1), value) }
        try insert.run()
        #expect(try Self.stored(connection, row: 1) == values)
    }

    @Test func aResetStatementBindsAfreshWithoutChangingWhatItWroteBefore() throws {
        let directory = try StoreDirectory()
        let connection = try Self.connection(in: directory)
        for row in 1...300 {
            // Looked up again each time, so reset each time: the buffer is reused from its start.
            let insert = try connection.statement("INSERT INTO texts VALUES (?, 1, ?), (?, 2, ?)")
            insert.bind(1, row)
            insert.bind(2, "first of \(row) " + String(repeating: "a", count: row * 7))
            insert.bind(3, row)
            insert.bind(4, "second of \(row)")
            try insert.run()
        }
        for row in [1, 2, 150, 299, 300] {
            #expect(try Self.stored(connection, row: row) == ["first of \(row) " + String(repeating: "a", count: row * 7), "second of \(row)"])
        }
    }
}
