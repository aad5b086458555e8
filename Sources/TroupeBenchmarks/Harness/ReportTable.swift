/// A table of text cells printed with aligned columns: text left-aligned in the first column, numbers right-aligned after it.
struct ReportTable {
    /// The table's title, printed above it.
    let title: String
    /// The column headers.
    let headers: [String]
    /// The rows, each with one cell per header.
    private(set) var rows: [[String]] = []

    /// Creates an empty table.
    init(title: String, headers: [String]) {
        self.title = title
        self.headers = headers
    }

    /// Appends a row; it must have one cell per header.
    mutating func append(_ cells: String...) {
        precondition(cells.count == headers.count, "a row of \(cells.count) cells in a table of \(headers.count) columns")
        rows.append(cells)
    }

    /// The table as lines of text, ready to print.
    var lines: [String] {
        let widths = headers.indices.map { column in ([headers] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - cells[column].count)
                return column == 0 ? cells[column] + padding : padding + cells[column]
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ["## \(title)", "", line(headers), rule] + rows.map(line)
    }
}
