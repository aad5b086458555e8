import Foundation

extension MetricsRegistry {
    /// Every metric in the Prometheus text exposition format, version 0.0.4, for a scrape or the
    /// node_exporter textfile collector: `# HELP` and `# TYPE` per metric, escaped label values,
    /// histograms as cumulative `_bucket{le=…}` series up to `+Inf`, with `_sum` and `_count`.
    public func prometheusText() -> String {
        let snapshot = metrics.withLock { metrics in metrics.order.compactMap { name in metrics.byName[name].map { (name, $0) } } }
        var text = ""
        for (name, metric) in snapshot where !metric.order.isEmpty {
            text += "# HELP \(name) \(Self.escapeHelp(metric.help ?? name))\n"
            switch metric.family {
            case .counter: text += "# TYPE \(name) counter\n"
            case .gauge: text += "# TYPE \(name) gauge\n"
            case .histogram: text += "# TYPE \(name) histogram\n"
            }
            for key in metric.order {
                guard let series = metric.series[key] else { continue }
                text += lines(name, series)
            }
        }
        return text
    }

    private func lines(_ name: String, _ series: MetricSeries) -> String {
        switch series.current {
        case .counter(let count):
            return "\(name)\(Self.labels(series.dimensions)) \(count)\n"
        case .gauge(let value):
            return "\(name)\(Self.labels(series.dimensions)) \(Self.number(value))\n"
        case .histogram(let buckets, let sum, let count):
            var text = ""
            var cumulative: UInt64 = 0
            for (index, bound) in series.bounds.enumerated() {
                cumulative += buckets[index]
                text += "\(name)_bucket\(Self.labels(series.dimensions + [("le", Self.number(bound))])) \(cumulative)\n"
            }
            text += "\(name)_bucket\(Self.labels(series.dimensions + [("le", "+Inf")])) \(count)\n"
            text += "\(name)_sum\(Self.labels(series.dimensions)) \(Self.number(sum))\n"
            text += "\(name)_count\(Self.labels(series.dimensions)) \(count)\n"
            return text
        }
    }

    private static func labels(_ dimensions: [(String, String)]) -> String {
        guard !dimensions.isEmpty else { return "" }
        return "{" + dimensions.map { "\($0.0)=\"\(escapeLabelValue($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// A sample value as the format writes it: Go-style floats, `+Inf`, `-Inf` and `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A label value with `\`, `"` and line feeds escaped, as the format requires.
    static func escapeLabelValue(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A help text with `\` and line feeds escaped (quotes stay as they are there).
    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
