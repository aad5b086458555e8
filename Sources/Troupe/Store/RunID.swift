import Foundation

/// A durable run's id: time-ordered and unique across machines, like a ULID — 48 bits of
/// milliseconds since 1970 then 80 random bits, in 26 characters of Crockford's base 32 — so that
/// ids sort by start time as text and in the store's index.
public struct RunID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 26-character text form.
    public let rawValue: String

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The last id made in this process, so that ids made in one millisecond still sort in the order they were made.
    private static let last = LockedValue<(milliseconds: UInt64, random: (UInt64, UInt64))?>(nil)

    /// A new id for a run starting at `date`. An id made in the millisecond of the one before, or
    /// for an earlier one (another thread's date read first, or the clock set back), is the one
    /// before plus one (ULID's monotonic rule), so this process's ids sort in the order they were made.
    public init(date: Date = Date()) {
        var generator = SystemRandomNumberGenerator()
        let requested = UInt64(max(0, date.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        let (milliseconds, random) = Self.last.withLock { last -> (UInt64, (UInt64, UInt64)) in
            var next = (requested, (UInt64(generator.next() as UInt16), generator.next() as UInt64))
            if let last, last.milliseconds >= requested {
                let (low, overflow) = last.random.1.addingReportingOverflow(1)
                next = (last.milliseconds, ((last.random.0 + (overflow ? 1 : 0)) & 0xFFFF, low))
            }
            last = (next.0, next.1)
            return next
        }
        // 128 bits: the time in the top 48, the random 80 below, read out five bits at a time.
        let high = milliseconds << 16 | random.0
        let low = random.1
        var characters: [UInt8] = []
        characters.reserveCapacity(26)
        for index in 0..<26 {
            let shift = 125 - index * 5
            let value: UInt64
            if shift >= 64 {
                value = high >> UInt64(shift - 64)
            } else if shift > 59 {
                value = (high << UInt64(64 - shift)) | (low >> UInt64(shift))
            } else if shift >= 0 {
                value = low >> UInt64(shift)
            } else {
                value = low << UInt64(-shift)
            }
            characters.append(Self.alphabet[Int(value & 31)])
        }
        rawValue = String(decoding: characters, as: UTF8.self)
    }

    /// An id read back from a store or the command line; `nil` unless it is 26 characters of the alphabet.
    public init?(_ text: String) {
        let bytes = Array(text.uppercased().utf8)
        guard bytes.count == 26, bytes.allSatisfy(Self.alphabet.contains) else { return nil }
        rawValue = String(decoding: bytes, as: UTF8.self)
    }

    /// The text form.
    public var description: String { rawValue }

    /// Orders by start time, then randomly within one millisecond.
    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }
}
