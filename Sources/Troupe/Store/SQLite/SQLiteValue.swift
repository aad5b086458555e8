import Foundation

/// A value bound to a statement parameter.
enum SQLiteValue {
    case nullValue
    case integer(Int)
    case real(Double)
    case text(String)

    static func optional(_ text: String?) -> SQLiteValue { text.map(SQLiteValue.text) ?? .nullValue }

    static func date(_ date: Date?) -> SQLiteValue { date.map { .real($0.timeIntervalSince1970) } ?? .nullValue }

    static func json(_ value: JSONValue?) -> SQLiteValue { value.map { .text(JSONWriter.write($0, pretty: false)) } ?? .nullValue }
}
