/// A set of semantic versions, written as npm and Cargo do: `*`, `1.2.3`, `=1.2.3`, `^1.2`, `~1.2.3`,
/// `1.x`, comparators (`>=1.0.0 <2.0.0`, space means and), and alternatives joined by `||`.
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    private struct Comparator: Sendable, Hashable {
        enum Operator: String, Sendable {
            case less = "<"
            case lessOrEqual = "<="
            case greater = ">"
            case greaterOrEqual = ">="
            case equal = "="
        }
        let op: Operator
        let version: SemanticVersion

        func matches(_ candidate: SemanticVersion) -> Bool {
            switch op {
            case .less: return candidate < version
            case .lessOrEqual: return candidate <= version
            case .greater: return candidate > version
            case .greaterOrEqual: return candidate >= version
            case .equal: return candidate == version
            }
        }
    }

    /// The text it was parsed from.
    public let description: String
    private let alternatives: [[Comparator]]

    /// Any version at all.
    public static let any = try! VersionRange("*")

    /// Parses range text, throwing for anything that is not a range.
    public init(_ text: String) throws(VersionRangeError) {
        description = text
        var alternatives: [[Comparator]] = []
        for alternative in text.split(separator: "||", omittingEmptySubsequences: false) {
            var comparators: [Comparator] = []
            let parts = alternative.split(separator: " ").map(String.init)
            if parts.isEmpty { throw VersionRangeError(range: text, reason: "empty alternative") }
            for part in parts { comparators += try Self.parse(part, in: text) }
            alternatives.append(comparators)
        }
        self.alternatives = alternatives
    }

    /// Whether `version` is in the range; pre-releases match only comparators naming a pre-release.
    public func contains(_ version: SemanticVersion) -> Bool {
        alternatives.contains { comparators in
            comparators.allSatisfy { $0.matches(version) }
                && (version.prerelease.isEmpty || comparators.contains { !$0.version.prerelease.isEmpty })
        }
    }

    private static func parse(_ part: String, in text: String) throws(VersionRangeError) -> [Comparator] {
        if part == "*" || part == "x" || part == "X" { return [] }
        for op in [Comparator.Operator.greaterOrEqual, .lessOrEqual, .greater, .less, .equal] where part.hasPrefix(op.rawValue) {
            let version = try fill(String(part.dropFirst(op.rawValue.count)), in: text)
            return [Comparator(op: op, version: version.lower)]
        }
        if part.hasPrefix("^") {
            let (lower, given) = try fill(String(part.dropFirst()), in: text)
            // The leftmost non-zero part may not change, as npm defines caret ranges.
            let upper: SemanticVersion
            if lower.major > 0 || given == 1 {
                upper = SemanticVersion(try next(lower.major, part, in: text), 0, 0)
            } else if lower.minor > 0 || given == 2 {
                upper = SemanticVersion(0, try next(lower.minor, part, in: text), 0)
            } else {
                upper = SemanticVersion(0, 0, try next(lower.patch, part, in: text))
            }
            return [Comparator(op: .greaterOrEqual, version: lower), Comparator(op: .less, version: upper.lowestPrerelease)]
        }
        if part.hasPrefix("~") {
            let (lower, given) = try fill(String(part.dropFirst()), in: text)
            let upper =
                given == 1
                ? SemanticVersion(try next(lower.major, part, in: text), 0, 0)
                : SemanticVersion(lower.major, try next(lower.minor, part, in: text), 0)
            return [Comparator(op: .greaterOrEqual, version: lower), Comparator(op: .less, version: upper.lowestPrerelease)]
        }
        let (lower, given) = try fill(part, in: text)
        switch given {
        case 3: return [Comparator(op: .equal, version: lower)]
        case 2:
            let upper = SemanticVersion(lower.major, try next(lower.minor, part, in: text), 0)
            return [Comparator(op: .greaterOrEqual, version: lower), Comparator(op: .less, version: upper.lowestPrerelease)]
        default:
            let upper = SemanticVersion(try next(lower.major, part, in: text), 0, 0)
            return [Comparator(op: .greaterOrEqual, version: lower), Comparator(op: .less, version: upper.lowestPrerelease)]
        }
    }

    /// The number after `number`, for a range's exclusive upper bound; `Int.max` has none, so a range
    /// bounded by it is refused, as one naming `Int.max + 1` (not a version number at all) is.
    private static func next(_ number: Int, _ part: String, in text: String) throws(VersionRangeError) -> Int {
        let (next, overflow) = number.addingReportingOverflow(1)
        guard !overflow else {
            throw VersionRangeError(range: text, reason: "\"\(part)\" has no upper bound (\(number) is the largest number a version may have)")
        }
        return next
    }

    /// A possibly partial version (`1`, `1.2`, `1.2.x`) as its lowest full version and how many parts were given.
    private static func fill(_ text: String, in range: String) throws(VersionRangeError) -> (lower: SemanticVersion, given: Int) {
        if let full = SemanticVersion(text) { return (full, 3) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var numbers: [Int] = []
        for part in parts {
            if part == "x" || part == "X" || part == "*" { break }
            guard part.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let number = Int(part) else {
                throw VersionRangeError(range: range, reason: "\"\(text)\" is not a version")
            }
            numbers.append(number)
        }
        guard (1...2).contains(numbers.count), parts.count <= 3 else { throw VersionRangeError(range: range, reason: "\"\(text)\" is not a version") }
        return (SemanticVersion(numbers[0], numbers.count > 1 ? numbers[1] : 0, 0), numbers.count)
    }
}

extension SemanticVersion {
    /// The lowest version with these numbers, so that `< 2.0.0-0` excludes 2.0.0's pre-releases too.
    fileprivate var lowestPrerelease: SemanticVersion { SemanticVersion(major, minor, patch, prerelease: ["0"]) }
}
