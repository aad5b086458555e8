/// Formats the numbers of the report.
enum NumberText {
    /// An integer with thousands separators: `100,000`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = value < 0 ? "-" : ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    /// A number with thousands separators and a fixed count of decimals: `fixed(1234.567, 2)` is `1,234.57`.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        let scale = (0..<decimals).reduce(1) { scale, _ in scale * 10 }
        let scaled = Int((value.magnitude * Double(scale)).rounded())
        let sign = value < 0 && scaled > 0 ? "-" : ""
        let whole = grouped(scaled / scale)
        guard decimals > 0 else { return sign + whole }
        let fraction = String(scaled % scale)
        return sign + whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// A count of bytes in KiB with one decimal: `12.3 KiB`.
    static func kibibytes(_ bytes: Double) -> String { fixed(bytes / 1024, 1) + " KiB" }
}
