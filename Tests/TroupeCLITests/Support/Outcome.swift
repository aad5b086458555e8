import Troupe

/// How a run of `troupe` ended and what it wrote.
struct Outcome: Sendable {
    /// The exit status, or the signal number when `exitedNormally` is false.
    let status: Int32
    /// False when a signal killed the process instead of it exiting.
    let exitedNormally: Bool
    /// Everything written to standard output.
    let standardOutput: String
    /// Everything written to standard error.
    let standardError: String

    /// Standard output as JSON, when it is JSON.
    var json: JSONValue? { try? JSONParser.parse(standardOutput) }

    /// A node's status in the printed result.
    func nodeStatus(_ id: String) -> String? { json?["nodes"]?[id]?["status"]?.stringValue }
}
