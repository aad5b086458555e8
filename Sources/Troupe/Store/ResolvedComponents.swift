/// The executors and interceptors a definition resolved to when it was prepared, as a durable run
/// records them: resuming on other code (a plugin version gone, a kind now built in) is refused.
struct ResolvedComponents {
    private var entries: [String: JSONValue] = [:]

    /// Adds one component, once per role and name; a plugin's with the SHA-256 of its file.
    mutating func add(_ role: String, _ name: String, source: ComponentSource, version: SemanticVersion?, fileDigest: String? = nil) {
        var entry: [String: JSONValue] = ["role": .string(role), "name": .string(name)]
        switch source {
        case .builtIn: entry["source"] = "built-in"
        case .host: entry["source"] = "host"
        case .plugin(let plugin, let pluginVersion, let generation):
            entry["source"] = "plugin"
            entry["plugin"] = .string(plugin)
            entry["pluginVersion"] = .string(pluginVersion.description)
            entry["generation"] = .integer(generation)
            if let fileDigest { entry["fileDigest"] = .string(fileDigest) }
        }
        if let version { entry["version"] = .string(version.description) }
        entries["\(role) \(name)"] = .object(entry)
    }

    /// The components sorted by role and name.
    var json: JSONValue { .array(entries.keys.sorted().compactMap { entries[$0] }) }

    /// What of `recorded` no longer resolves the same in `current`, one line per component naming
    /// the fields that differ; empty when everything matches. A generation may differ (reloading the
    /// same plugin file is the same code); a plugin file's digest counts only when it was recorded
    /// (runs recorded before digests were have none).
    static func differences(recorded: JSONValue, current: JSONValue) -> [String] {
        func entries(_ value: JSONValue) -> [String: [String: JSONValue]] {
            var result: [String: [String: JSONValue]] = [:]
            for case .object(var entry) in value.arrayValue ?? [] {
                entry["generation"] = nil
                result["\(entry["role"]?.stringValue ?? "") \(entry["name"]?.stringValue ?? "")"] = entry
            }
            return result
        }
        func text(_ value: JSONValue?) -> String { value.map { JSONWriter.write($0, pretty: false) } ?? "nothing" }
        let before = entries(recorded)
        let now = entries(current)
        var differences: [String] = []
        for key in before.keys.sorted() {
            guard let old = before[key], var new = now[key] else {
                differences.append("\(key): recorded \(text(before[key].map(JSONValue.object))), now nothing")
                continue
            }
            if old["fileDigest"] == nil { new["fileDigest"] = nil }
            let fields = Set(old.keys).union(new.keys).sorted().filter { old[$0] != new[$0] }
            guard !fields.isEmpty else { continue }
            differences.append("\(key): " + fields.map { "\($0) recorded \(text(old[$0])), now \(text(new[$0]))" }.joined(separator: ", "))
        }
        return differences
    }
}
