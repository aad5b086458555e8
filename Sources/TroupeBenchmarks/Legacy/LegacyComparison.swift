/// The time per node call with some number of legacy no-op middleware around every node and with as many native no-op interceptors.
struct LegacyComparison: Sendable {
    /// How many of each.
    let count: Int
    /// The fastest round's nanoseconds per node call with the native interceptors.
    let native: Double
    /// The same with the legacy middleware.
    let legacy: Double

    /// The native row's label in the report.
    var nativeLabel: String { count == 1 ? "1 native no-op interceptor" : "\(count) native no-op interceptors (\(count) links)" }

    /// The legacy row's label in the report: adjacent middleware are merged into one stack interceptor.
    var legacyLabel: String {
        count == 1 ? "1 legacy no-op middleware (adapted)" : "\(count) legacy no-op middleware (merged: 1 link, \(count) layers)"
    }
}
