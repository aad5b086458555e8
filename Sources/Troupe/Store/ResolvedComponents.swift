/// The executors and interceptors a definition resolved to when it was prepared, as a durable run
/// records them: resuming on other code (a plugin version gone, a kind now built in) is refused.
struct ResolvedComponents {
    private var entries: [String: JSONValue] = [:]

    /// Adds one component, once per role and name.
    mutating func add(_ role: String, _ name: String, source: ComponentSource, version: SemanticVersion?) {
        var entry: [String: JSONValue] = ["role": .string(role), "name": .string(name)]
        switch source {
        case .builtIn: entry["source"] = "built-in"
        case .host: entry["source"] = "host"
        case .plugin(let plugin, let pluginVersion, let generation):
            entry["source"] = "plugin"
            entry["plugin"] = .string(plugin)
            entry["pluginVersion"] = .string(pluginVersion.description)
            entry["generation"] = .integer(generation)
        }
        if let version { entry["version"] = .string(version.description) }
        entries["\(role) \(name)"] = .object(entry)
    }

    /// The components sorted by role and name.
    var json: JSONValue { .array(entries.keys.sorted().compactMap { entries[$0] }) }

    /// What of `recorded` no longer resolves the same in `current` (a generation may differ:
    /// reloading the same plugin version is the same code); empty when everything matches.
    static func differences(recorded: JSONValue, current: JSONValue) -> [String] {
        func identities(_ value: JSONValue) -> [String: JSONValue] {
            var result: [String: JSONValue] = [:]
            for case .object(var entry) in value.arrayValue ?? [] {
                entry["generation"] = nil
                result["\(entry["role"]?.stringValue ?? "") \(entry["name"]?.stringValue ?? "")"] = .object(entry)
            }
            return result
        }
        let before = identities(recorded)
        let now = identities(current)
        var differences: [String] = []
        for key in before.keys.sorted() where before[key] != now[key] {
            differences.append(
                "\(key): recorded \(JSONWriter.write(before[key] ?? .null, pretty: false)), now \(JSONWriter.write(now[key] ?? .null, pretty: false))")
        }
        return differences
    }
}
