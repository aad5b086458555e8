/// A `wait` node's config: the signal it waits for (`config.signal`, by default the node's id) and an
/// optional `config.timeout` in seconds, past which the node fails with `SignalTimeout`.
struct WaitConfig: Sendable {
    /// The fields a `wait` node's config may have.
    static let fields: Set<String> = ["signal", "timeout"]

    /// The signal name the node receives.
    let signal: String
    /// How long the node waits at most; `nil` waits for as long as the instance runs.
    let timeout: Duration?

    /// Reads the config of node `nodeID`; every problem is named under `path` (`nodes[2].config`).
    static func read(_ config: JSONValue, nodeID: String, at path: String) -> (config: WaitConfig?, issues: [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        guard case .object(let fields) = config else {
            if config == .null { return (WaitConfig(signal: nodeID, timeout: nil), []) }
            return (nil, [ValidationIssue(path: path, message: "must be an object such as {\"signal\": \"approve\", \"timeout\": 3600}")])
        }
        for key in fields.keys.sorted() where !fields.keys.isEmpty && !Self.fields.contains(key) {
            issues.append(ValidationIssue(path: "\(path).\(key)", message: "unknown field (a wait node takes signal and timeout)"))
        }
        var signal = nodeID
        if let value = fields["signal"] {
            if case .string(let name) = value, !name.isEmpty {
                signal = name
            } else {
                issues.append(ValidationIssue(path: "\(path).signal", message: "must be a non-empty string"))
            }
        }
        var timeout: Duration?
        if let value = fields["timeout"] {
            if let seconds = value.doubleValue, seconds > 0, seconds.isFinite {
                do { timeout = try Duration(validatingSeconds: seconds) } catch {
                    issues.append(ValidationIssue(path: "\(path).timeout", message: error.description))
                }
            } else {
                issues.append(ValidationIssue(path: "\(path).timeout", message: "must be a number of seconds > 0"))
            }
        }
        return issues.isEmpty ? (WaitConfig(signal: signal, timeout: timeout), []) : (nil, issues)
    }
}
