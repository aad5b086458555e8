/// A strict reader of the Prometheus text exposition format 0.0.4, for checking what Troupe writes:
/// it throws at the first line a scraper could reject or read differently.
struct PrometheusTextParser {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Family {
        var type: String
        var help: String?
        var samples: [Sample] = []
    }

    struct Problem: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    private(set) var families: [String: Family] = [:]

    /// The value of the one sample named `name` with exactly `labels`, if there is one.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let family = families[name] ?? families[Self.familyName(of: name)]
        return family?.samples.first { $0.name == name && $0.labels == labels }?.value
    }

    init(_ text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw Problem(line: 0, message: "the text does not end with a line feed") }
        var current: String?
        var closed: Set<String> = []
        var seen: Set<String> = []
        var helped: Set<String> = []
        var typed: Set<String> = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let number = offset + 1
            func problem(_ message: String) -> Problem { Problem(line: number, message: message) }
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "HELP" || parts[1] == "TYPE" else { continue }
                let name = parts[2]
                guard Self.isMetricName(name) else { throw problem("invalid metric name \(name)") }
                if current != name, let current { closed.insert(current) }
                guard !closed.contains(name) else { throw problem("\(name) appears again after other metrics") }
                current = name
                if parts[1] == "HELP" {
                    guard helped.insert(name).inserted else { throw problem("second HELP for \(name)") }
                    let help = try Self.unescape(parts.count > 3 ? parts[3] : "", quotes: false, line: number)
                    families[name, default: Family(type: "untyped")].help = help
                } else {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw problem("bad TYPE line")
                    }
                    guard typed.insert(name).inserted, families[name]?.samples.isEmpty ?? true else {
                        throw problem("TYPE for \(name) after its samples or a second TYPE")
                    }
                    families[name, default: Family(type: parts[3])].type = parts[3]
                }
                continue
            }
            let sample = try Self.sample(String(line), line: number)
            let family = families[Self.familyName(of: sample.name)] != nil ? Self.familyName(of: sample.name) : sample.name
            guard let type = families[family]?.type else { throw problem("sample \(sample.name) without a TYPE") }
            if current != family, let current { closed.insert(current) }
            guard !closed.contains(family) else { throw problem("samples of \(family) are not together") }
            current = family
            let identity = sample.name + "|" + sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            guard seen.insert(identity).inserted else { throw problem("duplicate series \(identity)") }
            switch type {
            case "counter":
                guard sample.name == family, sample.value >= 0 else { throw problem("a counter sample must be named \(family) and not negative") }
            case "histogram":
                guard [family + "_bucket", family + "_sum", family + "_count"].contains(sample.name) else {
                    throw problem("\(sample.name) in histogram \(family)")
                }
                if sample.name.hasSuffix("_bucket") { guard sample.labels["le"] != nil else { throw problem("bucket without le") } }
            case "gauge":
                guard sample.name == family else { throw problem("gauge sample named \(sample.name)") }
            default:
                break
            }
            families[family]?.samples.append(sample)
        }
        for (name, family) in families where family.type == "histogram" { try Self.checkHistogram(name, family) }
    }

    private static func checkHistogram(_ name: String, _ family: Family) throws {
        var series: [[String: String]: [Sample]] = [:]
        for sample in family.samples {
            var labels = sample.labels
            labels["le"] = nil
            series[labels, default: []].append(sample)
        }
        for (labels, samples) in series {
            let buckets = samples.filter { $0.name == name + "_bucket" }
            guard let last = buckets.last, last.labels["le"] == "+Inf" else {
                throw Problem(line: 0, message: "\(name)\(labels): buckets must end with le=\"+Inf\"")
            }
            var previous = (bound: -Double.infinity, count: 0.0)
            for bucket in buckets {
                guard let bound = Double(bucket.labels["le"] == "+Inf" ? "inf" : bucket.labels["le"] ?? ""), bound > previous.bound,
                    bucket.value >= previous.count
                else { throw Problem(line: 0, message: "\(name)\(labels): buckets not ascending or not cumulative") }
                previous = (bound, bucket.value)
            }
            guard let count = samples.first(where: { $0.name == name + "_count" })?.value, count == last.value,
                samples.contains(where: { $0.name == name + "_sum" })
            else { throw Problem(line: 0, message: "\(name)\(labels): _count must equal the +Inf bucket, and _sum must be there") }
        }
    }

    private static func familyName(of sample: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where sample.hasSuffix(suffix) { return String(sample.dropLast(suffix.count)) }
        return sample
    }

    private static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }

    private static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func unescape(_ text: String, quotes: Bool, line: Int) throws -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "\\": result.append("\\")
                case "n": result.append("\n")
                case "\"" where quotes: result.append("\"")
                default: throw Problem(line: line, message: "invalid escape \\\(character)")
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        guard !escaping else { throw Problem(line: line, message: "text ends in a backslash") }
        return result
    }

    private static func sample(_ line: String, line number: Int) throws -> Sample {
        func problem(_ message: String) -> Problem { Problem(line: number, message: message) }
        var rest = Substring(line)
        let name = String(rest.prefix { $0 != "{" && $0 != " " })
        guard isMetricName(name) else { throw problem("invalid sample name \(name)") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = String(rest.prefix { $0 != "=" })
                guard isLabelName(label), labels[label] == nil else { throw problem("invalid or repeated label name \(label)") }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw problem("label \(label) without =\"") }
                rest = rest.dropFirst(2)
                var raw = ""
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        raw.append("\\")
                        raw.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        guard character != "\n" else { throw problem("line feed in a label value") }
                        raw.append(character)
                    }
                }
                labels[label] = try unescape(raw, quotes: true, line: number)
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" { throw problem("labels not closed") }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw problem("no space before the value") }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 1 || fields.count == 2, let value = Self.number(String(fields[0])) else { throw problem("bad value \(rest)") }
        if fields.count == 2 { guard Int64(fields[1]) != nil else { throw problem("bad timestamp") } }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return nil }
            return Double(text)
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
