/// The built-in ``MetricsSink``: keeps every metric in memory and prints them in the Prometheus
/// text format (``prometheusText()``).
///
/// Timers become histograms in seconds. Label and dimension names are made valid Prometheus names
/// (other characters become `_`); a label made again with a different type than the first time
/// gets a handler that keeps nothing, so the exposition stays valid.
public final class MetricsRegistry: MetricsSink {
    enum Family: Sendable, Equatable {
        case counter, gauge, histogram
    }

    struct Metric {
        var family: Family
        var help: String?
        /// Series by their dimensions' text, in the order they were first made.
        var series: [String: MetricSeries] = [:]
        var order: [String] = []
    }

    /// The upper bounds, in seconds or the recorded unit, of every histogram's buckets.
    public let buckets: [Double]
    let metrics = LockedValue<(byName: [String: Metric], order: [String], help: [String: String])>(([:], [], [:]))

    /// Creates an empty registry whose histograms have `buckets` (Prometheus' default ones unless given).
    public init(buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]) {
        self.buckets = Array(Set(buckets.filter(\.isFinite))).sorted()
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        series(label, dimensions, .counter)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        series(label, dimensions, aggregate ? .histogram : .gauge)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        series(label, dimensions, .histogram)
    }

    public func describe(label: String, help: String) {
        let name = Self.validName(label, allowColon: true)
        metrics.withLock { metrics in
            metrics.help[name] = help
            metrics.byName[name]?.help = help
        }
    }

    private func series(_ label: String, _ dimensions: [(String, String)], _ family: Family) -> MetricSeries {
        let name = Self.validName(label, allowColon: true)
        // A name given twice, or `le` on a histogram, would make the exposition invalid: the first one stays.
        var seen: Set<String> = family == .histogram ? ["le"] : []
        let dimensions = dimensions.map { (Self.validName($0.0, allowColon: false), $0.1) }.filter { seen.insert($0.0).inserted }
        let key = dimensions.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{0}")
        let made = MetricSeries(dimensions: dimensions, value: Self.initialValue(family, buckets: buckets.count), bounds: family == .histogram ? buckets : [])
        return metrics.withLock { metrics in
            var metric = metrics.byName[name] ?? Metric(family: family, help: metrics.help[name])
            if metrics.byName[name] == nil { metrics.order.append(name) }
            guard metric.family == family else { return made }
            if let existing = metric.series[key] { return existing }
            metric.series[key] = made
            metric.order.append(key)
            metrics.byName[name] = metric
            return made
        }
    }

    private static func initialValue(_ family: Family, buckets: Int) -> MetricSeries.Value {
        switch family {
        case .counter: return .counter(0)
        case .gauge: return .gauge(0)
        case .histogram: return .histogram(buckets: Array(repeating: 0, count: buckets + 1), sum: 0, count: 0)
        }
    }

    /// `text` with every character outside `[a-zA-Z0-9_]` (and `:` in metric names) replaced by `_`, and a leading digit prefixed.
    static func validName(_ text: String, allowColon: Bool) -> String {
        var name = String(
            text.unicodeScalars.map { scalar -> Character in
                let valid =
                    ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
                    || (allowColon && scalar == ":")
                return valid ? Character(scalar) : "_"
            })
        if name.isEmpty || name.first?.isNumber == true { name = "_" + name }
        return name
    }
}
