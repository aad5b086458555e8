/// A definition that ran: its canonical JSON, content-addressed, with the components it resolved to.
public struct DefinitionRecord: Sendable, Hashable {
    /// The hex SHA-256 of ``json`` and ``components`` together: a definition run on other components
    /// (a rebuilt plugin, a new version) is a record of its own, so each run is compared on resume
    /// against the components it ran with, not those of the first run of its definition.
    public var hash: String
    /// The workflow's id.
    public var workflowID: String
    /// The workflow's semantic version.
    public var version: String
    /// The canonical JSON text (keys sorted, no spaces) of the definition.
    public var json: String
    /// Each executor kind and interceptor it used, with its source, plugin, version and generation
    /// (and, for a plugin, `fileDigest`: the SHA-256 of its file), as a JSON array of objects,
    /// compared on resume.
    public var components: JSONValue

    /// The record of `definition` as it resolved against `components`.
    public init(_ definition: WorkflowDefinition, components: JSONValue) {
        json = JSONWriter.write(definition.jsonValue, pretty: false)
        hash = Self.hash(json: json, components: components)
        workflowID = definition.id
        version = definition.version
        self.components = components
    }

    /// The content address of a definition's JSON with its components.
    public static func hash(json: String, components: JSONValue) -> String {
        SHA256.hash(Array((json + "\n" + JSONWriter.write(components, pretty: false)).utf8))
    }

    /// A record read back from a store.
    public init(hash: String, workflowID: String, version: String, json: String, components: JSONValue) {
        self.hash = hash
        self.workflowID = workflowID
        self.version = version
        self.json = json
        self.components = components
    }
}
