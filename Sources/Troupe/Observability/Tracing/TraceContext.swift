/// Where a span sits in a trace, as a W3C `traceparent` carries it: the trace id, the span id, and
/// whether the trace is sampled.
///
/// The runtime propagates it in call metadata under `traceparent`, in a `shell` node's environment
/// as `TRACEPARENT`, and into child workflows. The spans of an instance's nodes have ids derived
/// from the instance's (``child(_:)``), so the code that runs a node and the tracer that records it
/// name the same span without talking to each other.
public struct TraceContext: Sendable, Hashable, CustomStringConvertible {
    /// 32 lowercase hex digits, not all zero.
    public let traceID: String
    /// 16 lowercase hex digits, not all zero.
    public let spanID: String
    /// The `sampled` trace flag.
    public let sampled: Bool

    /// Reads a `traceparent` header value (`00-<trace id>-<span id>-<flags>`); `nil` when it is not one.
    public init?(traceparent: String) {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", Self.isHex(parts[0]), parts[0] != "00" || parts.count == 4,
            parts[1].count == 32, Self.isHex(parts[1]), parts[1].contains(where: { $0 != "0" }),
            parts[2].count == 16, Self.isHex(parts[2]), parts[2].contains(where: { $0 != "0" }),
            parts[3].count == 2, Self.isHex(parts[3]), let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        self.init(traceID: String(parts[1]), spanID: String(parts[2]), sampled: flags & 1 == 1)
    }

    private init(traceID: String, spanID: String, sampled: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.sampled = sampled
    }

    /// A new sampled trace's root.
    public static func random() -> TraceContext {
        TraceContext(traceID: hex(nonZeroRandom()) + hex(UInt64.random(in: .min ... .max)), spanID: hex(nonZeroRandom()), sampled: true)
    }

    /// The context of the span named `name` below this one: same trace, a span id derived from this
    /// span's and the name, so every party that knows both derives the same.
    public func child(_ name: String) -> TraceContext {
        let digest = SHA256.hash(Array((traceID + spanID + name).utf8))
        var spanID = String(digest.prefix(16))
        if !spanID.contains(where: { $0 != "0" }) { spanID = "0000000000000001" }
        return TraceContext(traceID: traceID, spanID: spanID, sampled: sampled)
    }

    /// The span of attempt `attempt` of node `node` of the instance whose span this is.
    func nodeAttempt(_ node: String, _ attempt: Int) -> TraceContext { child("node \(node) attempt \(attempt)") }

    /// The `traceparent` value: version `00`.
    public var traceparent: String { "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")" }

    public var description: String { traceparent }

    private static func isHex(_ text: Substring) -> Bool {
        text.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    private static func nonZeroRandom() -> UInt64 { UInt64.random(in: 1 ... .max) }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
