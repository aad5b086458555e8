import Foundation

extension PluginLoadOptions {
    /// Reads a plugins manifest, such as
    /// `{"requireDigests": true, "pins": {"libAuditLog.so": "<sha256>"}, "prefer": {"audit": "audit-log"},
    /// "config": {"audit-log": {…}}, "maximumGenerations": 4, "checkPermissions": true}`.
    public init(manifest text: String) throws(WorkflowValidationError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw WorkflowValidationError(issues: [ValidationIssue(path: "", message: "malformed plugins manifest at \(error)")])
        }
        var issues: [ValidationIssue] = []
        var options = PluginLoadOptions()
        guard let object = json.objectValue else {
            throw WorkflowValidationError(issues: [ValidationIssue(path: "", message: "a plugins manifest is an object")])
        }
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            switch (key, value) {
            case ("requireDigests", .bool(let flag)): options.requireDigests = flag
            case ("checkPermissions", .bool(let flag)): options.checkPermissions = flag
            case ("maximumGenerations", _) where (value.integerValue ?? 0) >= 1: options.maximumGenerations = value.integerValue!
            case ("pins", .object(let pins)):
                for (file, digest) in pins {
                    guard let hex = digest.stringValue, hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
                        issues.append(ValidationIssue(path: "pins.\(file)", message: "must be a SHA-256 digest: 64 hex digits"))
                        continue
                    }
                    options.pinnedDigests[file] = hex.lowercased()
                }
            case ("prefer", .object(let preferences)):
                for (component, plugin) in preferences {
                    guard let plugin = plugin.stringValue else {
                        issues.append(ValidationIssue(path: "prefer.\(component)", message: "must be a plugin name"))
                        continue
                    }
                    options.preferred[component] = plugin
                }
            case ("config", .object(let configurations)):
                options.configurations = configurations
            default:
                issues.append(
                    ValidationIssue(
                        path: key,
                        message: "unknown field or wrong type (expected requireDigests, checkPermissions, maximumGenerations ≥ 1, pins, prefer, config)"))
            }
        }
        guard issues.isEmpty else { throw WorkflowValidationError(issues: issues) }
        self = options
    }
}
